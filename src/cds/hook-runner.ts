/**
 * Where a hook call runs. A call that came with its prefetch and a body of normal size is a millisecond of work:
 * it runs on the event loop, with no hand-over cost. A call that may take long goes to a worker thread (see
 * pool/hook-pool.ts), so it cannot stall the others:
 * - a large body (its JSON.parse alone can take tens of ms): handed over as raw bytes, parsed in the worker;
 * - a call that must read the FHIR server (the history's size, and so the JSON to parse and the history to map, is
 *   unknown until read).
 * Without a pool (CDS_POOL_THREADS=0), or before its first thread has started, everything runs on the event loop.
 */
import { InvalidRequestError } from './errors.js';
import { handleHook, type HookCall, type HookDeps, type HookResult } from './handle-hook.js';
import type { HookPool } from './pool/hook-pool.js';
import { findService } from './services.js';

/** A call whose body the HTTP layer kept as bytes (it is large): parsed where it runs. */
export interface RawHookCall extends Omit<HookCall, 'body'> {
  readonly raw: Uint8Array;
}

export type RunHook = (call: HookCall | RawHookCall) => Promise<HookResult>;

export function createHookRunner(deps: HookDeps, anyPool: HookPool | undefined): RunHook {
  return async (call) => {
    // Until a thread has started (the first ~0.5 s of the process), calls run here rather than wait for it.
    const pool = anyPool?.hasReadyThread() ? anyPool : undefined;
    if ('raw' in call) {
      if (!pool) return handleHook({ ...call, body: parseJsonBody(call.raw) }, deps);
      return pool.run({ ...base(call, deps), raw: call.raw });
    }
    if (pool && readsFhir(call)) return pool.run({ ...base(call, deps), body: call.body });
    return handleHook(call, deps);
  };
}

function base(call: Omit<HookCall, 'body'>, deps: HookDeps) {
  return {
    serviceId: call.serviceId, lang: call.lang, caller: call.caller, requestInstant: deps.now().toISOString(),
    ...(call.serviceBaseUrl ? { serviceBaseUrl: call.serviceBaseUrl } : {}),
  };
}

/** True when some prefetch key the service asks for is missing (or unusable): the call will read the FHIR server. */
function readsFhir(call: HookCall): boolean {
  const body = call.body as { fhirServer?: unknown; prefetch?: unknown } | null;
  if (typeof body !== 'object' || body === null || typeof body.fhirServer !== 'string') return false;
  const service = findService(call.serviceId);
  if (!service) return false;
  const prefetch = typeof body.prefetch === 'object' && body.prefetch !== null ? body.prefetch as Record<string, unknown> : {};
  return Object.keys(service.prefetch).some((key) => {
    if (!Object.hasOwn(prefetch, key)) return true;
    const value = prefetch[key] as { resourceType?: unknown; link?: unknown } | null;
    if (value === null) return false;
    if (typeof value !== 'object' || value.resourceType === 'OperationOutcome') return true;
    // A prefetched Bundle with further pages is paged from the server.
    return Array.isArray(value.link) && value.link.some((l: { relation?: unknown }) => l?.relation === 'next');
  });
}

/** As express.json({ strict: true }) would: an object or array, else the same 400. */
export function parseJsonBody(raw: Uint8Array): unknown {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  const first = /\S/.exec(text)?.[0];
  try {
    if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
    return JSON.parse(text);
  } catch {
    throw new InvalidRequestError([{ path: '', message: 'the body is not valid JSON' }]);
  }
}
