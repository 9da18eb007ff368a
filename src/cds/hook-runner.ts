/**
 * Where a hook call runs. A call that came with its prefetch and a body of normal size is a millisecond of work:
 * it runs on the event loop, with no hand-over cost. A call that may take long puts its CPU work in a worker thread
 * (see pool/hook-pool.ts), so it cannot stall the others:
 * - a large body (its JSON.parse alone can take tens of ms): handed over as raw bytes, the whole call runs there;
 * - a call that must read the FHIR server: the event loop reads (waiting costs it nothing), and the data, once read,
 *   is mapped, evaluated and rendered there when it is small, in a thread when it is large. A whole normal call in
 *   a thread cost ~+70 % of CPU and ~2 ms of latency (bench/README.md, "Third look of 2026-12-01"). Reading and
 *   parsing a long history costs the event loop too (~170 ms for 5,000 consultations), so a patient whose data
 *   was large is remembered (by a keyed hash, with the FHIR server), and its next calls run whole in a thread.
 * Without a pool (CDS_POOL_THREADS=0), or before its threads have started (the first call that wants one starts
 * them), everything runs on the event loop.
 */
import { InvalidRequestError } from './errors.js';
import { cardsFromData, gatherHookData, handleHook, resourceCount, type HookCall, type HookDeps, type HookResult } from './handle-hook.js';
import type { HookPool } from './pool/hook-pool.js';
import { recentSet } from './recent-set.js';
import { findService } from './services.js';

/**
 * Read data above this many resources is mapped, evaluated and rendered in a thread. The same line as for bodies
 * (RAW_HOOK_BODY_ABOVE_BYTES, 64 kB): a normal patient's full prefetch is 13 resources in 12.5 kB, and below the
 * line the work is ~2 ms, about what handing it over would cost.
 */
export const THREAD_ABOVE_RESOURCES = 64;

/** Patients with long histories remembered per process (the least recently seen are forgotten first). */
export const LONG_HISTORIES_REMEMBERED = 10_000;

/** A call whose body the HTTP layer kept as bytes (it is large): parsed where it runs. */
export interface RawHookCall extends Omit<HookCall, 'body'> {
  readonly raw: Uint8Array;
}

export type RunHook = (call: HookCall | RawHookCall) => Promise<HookResult>;

export function createHookRunner(deps: HookDeps, anyPool: HookPool | undefined): RunHook {
  const longHistories = recentSet(LONG_HISTORIES_REMEMBERED);
  return async (call) => {
    const wantsPool = 'raw' in call || readsFhir(call);
    // The first call that wants a thread starts them; until one is up (~0.2-0.5 s) calls run here rather than wait.
    const pool = wantsPool && anyPool?.hasReadyThread() ? anyPool : undefined;
    if ('raw' in call) {
      if (!pool) return handleHook({ ...call, body: parseJsonBody(call.raw) }, deps);
      return pool.run({ ...base(call, deps), raw: call.raw });
    }
    if (!pool) return handleHook(call, deps);
    const patient = patientKey(call, deps);
    if (longHistories.has(patient)) return pool.run({ ...base(call, deps), body: call.body });
    const started = performance.now();
    const gathered = await gatherHookData(call, deps);
    if ('answer' in gathered) return gathered.answer;
    if (resourceCount(gathered.data) <= THREAD_ABOVE_RESOURCES) return cardsFromData(gathered.data, deps);
    longHistories.add(patient);
    return pool.run({ ...base(call, deps), data: gathered.data }, performance.now() - started);
  };
}

/** The patient as a keyed hash (never the id itself), with the FHIR server it was read from. */
function patientKey(call: HookCall, deps: HookDeps): string {
  const body = call.body as { fhirServer?: unknown; context?: { patientId?: unknown } };
  return deps.hashPatient(`${String(body.fhirServer)} ${String(body.context?.patientId)}`);
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
