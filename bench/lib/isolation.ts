/**
 * A busy neighbour: small calls (the mid-course patient with its prefetch) at a fixed rate, open loop, first alone
 * ("quiet") and then while another client loops big calls one after the other ("busy"): 5,000-consultation calls,
 * with their whole prefetch in the body (6 MB) or read from the FHIR server. p99 of the small calls in each, and the
 * big calls' own median.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLoop, type LoadResult } from './load.js';
import type { NeighbourReport } from './neighbour.js';
import { PROJECT_ROOT } from './patients.js';
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
  const neighbour = startNeighbour(options.url, options.bigBody);
  let busy: LoadResult;
  let report: NeighbourReport;
  try {
    await neighbour.started;
    // The neighbour's first call is under way before the small calls start.
    await new Promise((r) => setTimeout(r, 200));
    busy = await openLoop({ url: options.url, body: options.smallBody, rate: options.rate, durationSec: options.durationSec });
  } finally {
    report = await neighbour.stop();
  }
  const bigMs = report.ms;
  const bigStatuses = report.statuses;
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

/** bench/lib/neighbour.ts in its own process (see there why). */
function startNeighbour(url: string, body: string): { started: Promise<void>; stop: () => Promise<NeighbourReport> } {
  const dir = mkdtempSync(join(tmpdir(), 'lbp-neighbour-'));
  const bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, body);
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench/lib/neighbour.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NEIGHBOUR_URL: url, NEIGHBOUR_BODY_FILE: bodyFile },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.startsWith('started\n')) resolve();
    });
    void exited.then((code) => reject(new Error(`the neighbour exited (${code}) before it started`)));
  });
  return {
    started,
    async stop() {
      child.stdin!.end();
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) throw new Error(`the neighbour failed (exit ${code})`);
      return JSON.parse(line) as NeighbourReport;
    },
  };
}
