/**
 * Remote FHIR servers: the service reads the EHR's FHIR server through a proxy that holds every request 20 or 100 ms
 * (test/support/latency-proxy.ts, the same one the reader's tests use), for patients with 6 (the demo's mid-course
 * patient), 100, 1,000 and 5,000 consultations. One call at a time; per case the call's p50, its parallel waves
 * (from the proxy's arrival and end times) and FHIR requests, and the service's own time (p50 minus the proxy's
 * delay per wave).
 */
import { startLatencyProxy } from '../../test/support/latency-proxy.js';
import { call } from './load.js';
import { encounterStartBody, type BenchPatient } from './patients.js';
import { median, round } from './stats.js';
import { countWaves, fhirTimeOfCall, type FhirRequestSeen } from './waves.js';

/** Calls per case before measuring. */
const WARM_CALLS = 10;

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
        for (let i = 0; i < WARM_CALLS; i++) await call(options.serviceUrl, body);
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
        const row: RemoteCase = {
          encounters: patient.consultations, delayMs, p50Ms: round(p50), waves: w, requests: median(requests),
          overheadMs: round(p50 - delayMs * w), fhirServerMs: round(median(serverMs)),
          serviceMs: round(p50 - delayMs * w - median(serverMs)), calls: options.calls, statuses,
        };
        cases.push(row);
        options.log(`  ${String(row.encounters).padStart(5)} encounters, ${delayMs} ms per request: p50 ${row.p50Ms} ms, ${row.waves} wave(s), ${row.requests} requests, FHIR server ${row.fhirServerMs} ms, service ${row.serviceMs} ms, statuses ${JSON.stringify(statuses)}`);
      }
    }
  } finally {
    await proxy.close();
  }
  return cases;
}

/** The bench FHIR server's request log from index `since` (bench/servers/fhir-server.ts). */
async function fhirLog(origin: string, since: number): Promise<FhirRequestSeen[]> {
  return JSON.parse((await call(`${origin}/__bench/log?since=${since}`, undefined)).body) as FhirRequestSeen[];
}
