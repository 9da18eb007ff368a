/** What one hook call cost the FHIR server, from the requests it saw (bench/servers/fhir-server.ts's log). */

export interface FhirRequestSeen {
  /** Epoch ms (FHIR server's clock) when the request reached the app, before any probe delay. */
  readonly arrival: number;
  /** When it entered the FHIR router (after the probe delay). */
  readonly routerStart: number;
  /** When its response was written. */
  readonly end: number;
  /** routerStart to end: the FHIR server's own time for this request. */
  readonly handlerMs: number;
  readonly path: string;
  readonly status: number;
}

/**
 * Sequential rounds of requests. A request belongs to the current wave when it arrived before the first answer of
 * that wave left; one that arrived later could have waited for that answer, so it starts a new wave.
 */
export function countWaves(requests: readonly Pick<FhirRequestSeen, 'arrival' | 'end'>[]): number {
  const sorted = [...requests].sort((a, b) => a.arrival - b.arrival);
  let waves = 0;
  let firstEnd = Number.NEGATIVE_INFINITY;
  for (const r of sorted) {
    if (waves === 0 || r.arrival >= firstEnd) {
      waves++;
      firstEnd = r.end;
    } else {
      firstEnd = Math.min(firstEnd, r.end);
    }
  }
  return waves;
}

/**
 * The FHIR server's own time for one call: the union of its requests' handler intervals (parallel requests that
 * overlap count once), and their plain sum for comparison.
 */
export function fhirTimeOfCall(requests: readonly FhirRequestSeen[]): { fhirMs: number; handlerSumMs: number; requests: number } {
  const intervals = requests.map((r) => [r.routerStart, r.end] as const).sort((a, b) => a[0] - b[0]);
  let union = 0;
  let [start, end] = [Number.NaN, Number.NaN];
  for (const [s, e] of intervals) {
    if (Number.isNaN(start) || s > end) {
      if (!Number.isNaN(start)) union += end - start;
      [start, end] = [s, e];
    } else {
      end = Math.max(end, e);
    }
  }
  if (!Number.isNaN(start)) union += end - start;
  return { fhirMs: union, handlerSumMs: requests.reduce((n, r) => n + r.handlerMs, 0), requests: requests.length };
}
