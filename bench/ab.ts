/**
 * `npx tsx bench/ab.ts <dirA> <dirB> [rounds] [seconds]`: an A/B of two compiled builds (each `<dir>/main.js`, a
 * directory directly under the project root, e.g. made with `npm run build -- --outdir=.ab-a`) under the prefetch
 * load. Both services run at once, loaded in turn (A, B, A, B, ...) so that the machine's other load hits both
 * alike; prints each round and the medians of req/s and CPU ms per call. AB_NODE_ARGS_A / AB_NODE_ARGS_B put node
 * options before each side's main.js (one build, two settings: `npx tsx bench/ab.ts dist dist`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saturate } from './lib/load.js';
import { spawnServer, waitForOk, type Spawned } from './lib/processes.js';
import { encounterStartBody, midCoursePatient, prefetchFor } from './lib/patients.js';
import { median, round } from './lib/stats.js';

const [dirA, dirB, roundsArg, secondsArg] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error('usage: tsx bench/ab.ts <dirA> <dirB> [rounds] [seconds]');
const rounds = Number(roundsArg ?? 4);
const seconds = Number(secondsArg ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'lbp-ab-'));
const mid = midCoursePatient();
const body = JSON.stringify(encounterStartBody(mid, { prefetch: prefetchFor(mid) }));

async function start(name: string, build: string): Promise<Spawned> {
  const server = await spawnServer({
    name,
    args: [...(process.env[`AB_NODE_ARGS_${name}`] ?? '').split(' ').filter(Boolean), join(build, 'main.js')],
    env: { NODE_ENV: 'development', CDS_SANDBOX: 'off', CDS_FEEDBACK_DB: join(dir, `${name}.sqlite`), LOG_LEVEL: 'info' },
    dir,
  });
  await waitForOk(server);
  return server;
}

const servers = [await start('A', dirA), await start('B', dirB)];
const seen: Record<string, { rps: number[]; cpu: number[] }> = { A: { rps: [], cpu: [] }, B: { rps: [], cpu: [] } };
try {
  for (const s of servers) await saturate({ url: `${s.base}/cds-services/lbp-encounter-start`, body, connections: 10, durationSec: 4 });
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 === 0 ? servers : [...servers].reverse()) {
      const before = s.cpuMs();
      const res = await saturate({ url: `${s.base}/cds-services/lbp-encounter-start`, body, connections: 10, durationSec: seconds });
      const cpu = (s.cpuMs() - before) / Math.max(1, res.requests);
      if (res.errors > 0) throw new Error(`${s.name}: ${res.errors} errors`);
      seen[s.name]!.rps.push(res.rps);
      seen[s.name]!.cpu.push(cpu);
      process.stdout.write(`round ${r + 1} ${s.name}: ${res.rps} req/s, ${round(cpu, 3)} ms CPU per call, p50 ${res.p50Ms} ms\n`);
    }
  }
  for (const name of ['A', 'B']) {
    process.stdout.write(`${name}: median ${round(median(seen[name]!.rps), 1)} req/s, ${round(median(seen[name]!.cpu), 3)} ms CPU per call\n`);
  }
} finally {
  for (const s of servers) await s.stop();
}
