/**
 * A busy neighbour: small calls (the mid-course patient with its prefetch) at a fixed rate, open loop, first alone
 * ("quiet") and then while another client loops big calls one after the other ("busy"): 5,000-consultation calls,
 * with their whole prefetch in the body (6 MB) or read from the FHIR server. p99 of the small calls in each, and the
 * big calls' own median.
 */
import { call, openLoop, type LoadResult } from './load.js';
import { median, round } from './stats.js';

export interface IsolationFigures {
  readonly quietP99Ms: number;
  readonly busyP99Ms: number;
  readonly bigCallMs: number;
  readonly rate: number;
  readonly quietP50Ms: number;
  readonly busyP50Ms: number;
  readonly bigCalls: number;
  readonly bigStatuses: Record<string, number>;
  readonly smallErrors: number;
}

export async function measureIsolation(options: {
  readonly url: string;
  readonly smallBody: string;
  readonly bigBody: string;
  readonly rate: number;
  readonly durationSec: number;
}): Promise<IsolationFigures> {
  const quiet = await openLoop({ url: options.url, body: options.smallBody, rate: options.rate, durationSec: options.durationSec });
  let running = true;
  const bigMs: number[] = [];
  const bigStatuses: Record<string, number> = {};
  const neighbour = (async () => {
    while (running) {
      const res = await call(options.url, options.bigBody);
      bigMs.push(res.ms);
      bigStatuses[res.status] = (bigStatuses[res.status] ?? 0) + 1;
    }
  })();
  // The neighbour's first call is under way before the small calls start.
  await new Promise((r) => setTimeout(r, 200));
  let busy: LoadResult;
  try {
    busy = await openLoop({ url: options.url, body: options.smallBody, rate: options.rate, durationSec: options.durationSec });
  } finally {
    running = false;
    await neighbour;
  }
  return {
    quietP99Ms: quiet.p99Ms,
    busyP99Ms: busy.p99Ms,
    bigCallMs: round(median(bigMs)),
    rate: options.rate,
    quietP50Ms: quiet.p50Ms,
    busyP50Ms: busy.p50Ms,
    bigCalls: bigMs.length,
    bigStatuses,
    smallErrors: quiet.errors + busy.errors,
  };
}
