/**
 * Remote FHIR servers: the service reads the EHR's FHIR server through a proxy that holds every request 20 or 100 ms
 * (test/support/latency-proxy.ts, the same one the reader's tests use), for patients with 6 (the demo's mid-course
 * patient), 100, 1,000 and 5,000 consultations. One call at a time; per case the call's p50, its parallel waves
 * (from the proxy's arrival and end times) and FHIR requests, and the service's own time (p50 minus the proxy's
 * delay per wave).
 */
import http from 'node:http';
import { startLatencyProxy } from '../../test/support/latency-proxy.js';
import { call } from './load.js';
import { encounterStartBody, type BenchPatient } from './patients.js';
import { median, round } from './stats.js';
import { countWaves, fhirTimeOfCall, type FhirRequestSeen } from './waves.js';

/** Calls per case before measuring, and for at least WARM_MS. */
const WARM_CALLS = 10;
/**
 * The first FHIR-reading call starts the hook threads, whose warm-up takes ~1 s of CPU on a 2-core machine: ten quick
 * calls were over before it, and the first case measured (the normal patient at 20 ms) saw 30-46 ms of "service".
 */
const WARM_MS = 2_000;

export interface RemoteCase {
  readonly encounters: number;
  readonly delayMs: number;
  readonly p50Ms: number;
  readonly waves: number;
  readonly requests: number;
  /** p50 minus delayMs x waves: what the service and the FHIR server itself add to the round trips. */
  readonly overheadMs: number;
  /** Median of the FHIR server's own busy time per call (union of its requests' handler times; one event loop). */
  readonly fhirServerMs: number;
  /** overheadMs minus fhirServerMs: the service's own time, the HTTP round trips' included. */
  readonly serviceMs: number;
  /**
   * One-wave cases: p50 of a bare client sending the same requests at once, through the same proxy, to the same
   * server (the proxy's and the server's own work included).
   */
  readonly directP50Ms?: number;
  /** p50 minus directP50Ms: what the service adds to the round trips any client would make. */
  readonly ownMs?: number;
  readonly calls: number;
  readonly statuses: Record<string, number>;
}

export async function measureRemote(options: {
  readonly serviceUrl: string;
  /** The FHIR server's base URL (…/fhir). */
  readonly fhirBase: string;
  readonly accessToken: string;
  readonly patients: readonly BenchPatient[];
  readonly delays: readonly number[];
  readonly calls: number;
  readonly log: (line: string) => void;
}): Promise<RemoteCase[]> {
  const base = new URL(options.fhirBase);
  const proxy = await startLatencyProxy(base.origin, 0);
  const cases: RemoteCase[] = [];
  try {
    for (const delayMs of options.delays) {
      for (const patient of options.patients) {
        proxy.delayMs = 0;
        const body = JSON.stringify(encounterStartBody(patient, { fhirServer: `${proxy.origin}${base.pathname}`, accessToken: options.accessToken }));
        // Warm: the service's connections to the proxy, the FHIR server's caches, and the JIT of every hook thread
        // (calls alternate between the threads: two calls warmed each thread once, and the first case measured
        // 36 ms of service time against 16 ms without threads).
        const warmUntil = performance.now() + WARM_MS;
        for (let i = 0; i < WARM_CALLS || performance.now() < warmUntil; i++) await call(options.serviceUrl, body);
        proxy.delayMs = delayMs;
        let since = (await fhirLog(base.origin, 0)).length;
        const samples: number[] = [];
        const waves: number[] = [];
        const requests: number[] = [];
        const serverMs: number[] = [];
        const statuses: Record<string, number> = {};
        for (let i = 0; i < options.calls; i++) {
          proxy.requests.length = 0;
          const res = await call(options.serviceUrl, body);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          samples.push(res.ms);
          waves.push(countWaves(proxy.requests));
          requests.push(proxy.requests.length);
          const seen = await fhirLog(base.origin, since);
          since += seen.length;
          serverMs.push(fhirTimeOfCall(seen).fhirMs);
        }
        const p50 = median(samples);
        const w = median(waves);
        // The requests of the last call, replayed by a bare client (one wave only: the replay sends them at once).
        const replayed = w === 1 ? proxy.requests.map((r) => `${proxy.origin}${r.url}`) : [];
        const direct: number[] = [];
        for (let i = 0; replayed.length > 0 && i < options.calls; i++) direct.push(await getAllAtOnce(replayed, options.accessToken));
        const directP50 = direct.length > 0 ? median(direct) : undefined;
        const row: RemoteCase = {
          encounters: patient.consultations, delayMs, p50Ms: round(p50), waves: w, requests: median(requests),
          overheadMs: round(p50 - delayMs * w), fhirServerMs: round(median(serverMs)),
          serviceMs: round(p50 - delayMs * w - median(serverMs)),
          ...(directP50 !== undefined ? { directP50Ms: round(directP50), ownMs: round(p50 - directP50) } : {}),
          calls: options.calls, statuses,
        };
        cases.push(row);
        options.log(`  ${String(row.encounters).padStart(5)} encounters, ${delayMs} ms per request: p50 ${row.p50Ms} ms, ${row.waves} wave(s), ${row.requests} requests, FHIR server ${row.fhirServerMs} ms, service ${row.serviceMs} ms${row.ownMs !== undefined ? `, bare client ${row.directP50Ms} ms (service's own ${row.ownMs} ms)` : ''}, statuses ${JSON.stringify(statuses)}`);
      }
    }
  } finally {
    await proxy.close();
  }
  return cases;
}

const directAgent = new http.Agent({ keepAlive: true });

/** ms until every one of `urls` is answered and read, all sent at once with the bearer token (as the service does). */
async function getAllAtOnce(urls: readonly string[], accessToken: string): Promise<number> {
  const started = performance.now();
  const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/fhir+json' };
  await Promise.all(urls.map((url) => call(url, undefined, headers, directAgent)));
  return performance.now() - started;
}

/** The bench FHIR server's request log from index `since` (bench/servers/fhir-server.ts). */
async function fhirLog(origin: string, since: number): Promise<FhirRequestSeen[]> {
  return JSON.parse((await call(`${origin}/__bench/log?since=${since}`, undefined)).body) as FhirRequestSeen[];
}
