/**
 * `npm run bench -- --flood`: the credential-less flood of issue 10, measured. The compiled service in production
 * mode (JWT required) takes a steady open-loop stream of authenticated hook calls (a fresh ES384 JWT each, prefetch
 * in the body), first alone (quiet), then while 8 flooders without credentials send 4.8 MB bodies as fast as the
 * service lets them. The service checks the JWT on the headers and refuses them before reading a byte of the body,
 * so the authenticated calls' p99 should stay within 2x of quiet. Writes bench/flood-results.json (`--out <file>`).
 *
 * Before the fix (body read and parsed before the JWT check) the attack run measured p50 3 -> 309 ms, p99 -> 1.1 s,
 * RSS 130 -> 272 MB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createBenchIssuer } from './lib/issuer.js';
import { openLoop, type LoadResult } from './lib/load.js';
import { encounterStartBody, midCoursePatient, prefetchFor, PROJECT_ROOT } from './lib/patients.js';
import { spawnServer, waitForOk, type Spawned } from './lib/processes.js';
import { round } from './lib/stats.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const outIndex = argv.indexOf('--out');
const outFile = outIndex >= 0 && argv[outIndex + 1] ? argv[outIndex + 1]! : join(PROJECT_ROOT, 'bench', 'flood-results.json');
const FLOODERS = 8;
const FLOOD_BYTES = 4_800_000;
/** Authenticated calls per second: a busy clinic's EHR, far below the service's maximum, so latency is the measure. */
const RATE = 40;
const PHASE_SEC = quick ? 8 : 20;
const WARM_SEC = quick ? 2 : 5;
/** Calls per body size in the refusal-cost probe (CPU time is read in 10 ms ticks). */
const REFUSAL_PROBE_CALLS = quick ? 100 : 400;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface FloodTally {
  requests: number;
  statuses: Record<string, number>;
  /** Requests the service cut off while the body was still being sent (it closes the connection after the 401). */
  cutOff: number;
}

/** The worker's code (plain JavaScript: a worker does not go through tsx): `flooders` loops like `flooder` below. */
const FLOOD_WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const body = Buffer.alloc(workerData.bytes, 0x20);
body.write('{"hook":"encounter-start","pad":"');
const tally = { requests: 0, statuses: {}, cutOff: 0 };
let stopping = false;
parentPort.on('message', () => { stopping = true; });
const one = () => new Promise((resolve) => {
  const req = http.request(workerData.url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
    tally.statuses[res.statusCode] = (tally.statuses[res.statusCode] || 0) + 1;
    res.resume(); res.on('end', resolve); res.on('error', resolve);
  });
  req.on('error', () => { tally.cutOff += 1; resolve(); });
  tally.requests += 1;
  req.end(body);
});
const loop = async () => { while (!stopping) await one(); };
Promise.all(Array.from({ length: workerData.flooders }, loop)).then(() => parentPort.postMessage(tally));
`;

/** One flooder: POSTs a 4.8 MB body without credentials, one after another on a new connection each, until stopped. */
async function flooder(url: string, body: Buffer, tally: FloodTally, stop: () => boolean): Promise<void> {
  const agent = new http.Agent({ keepAlive: false });
  while (!stop()) {
    await new Promise<void>((resolve) => {
      let done = false;
      const finish = (): void => {
        if (!done) {
          done = true;
          resolve();
        }
      };
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
        tally.statuses[res.statusCode ?? 0] = (tally.statuses[res.statusCode ?? 0] ?? 0) + 1;
        res.resume();
        res.on('end', finish);
        res.on('error', finish);
      });
      req.on('error', () => {
        tally.cutOff += 1;
        finish();
      });
      tally.requests += 1;
      req.end(body);
    });
  }
  agent.destroy();
}

async function main(): Promise<void> {
  log('building dist/ (npm run build)...');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'lbp-flood-'));
  let server: Spawned | undefined;
  try {
    const issuer = await createBenchIssuer(dir, []);
    server = await spawnServer({
      name: 'flood-target',
      args: ['dist/main.js'],
      env: { NODE_ENV: 'production', CDS_CONFIG: issuer.configFile, CDS_FEEDBACK_DB: join(dir, 'feedback.sqlite'), LOG_LEVEL: 'info' },
      dir,
    });
    await waitForOk(server);
    const url = `${server.base}/cds-services/lbp-encounter-start`;
    const mid = midCoursePatient();
    const body = JSON.stringify(encounterStartBody(mid, { prefetch: prefetchFor(mid) }));
    const authenticated = (durationSec: number): Promise<LoadResult> =>
      openLoop({ url, body, rate: RATE, durationSec, headersFor: async () => ({ authorization: `Bearer ${await issuer.sign(url)}` }) });

    log(`warm-up ${WARM_SEC} s, then quiet: ${RATE} authenticated calls/s for ${PHASE_SEC} s`);
    await authenticated(WARM_SEC);
    const rssQuiet = server.rssMb();
    const quiet = await authenticated(PHASE_SEC);

    log(`flood: the same calls while ${FLOODERS} credential-less clients send ${FLOOD_BYTES / 1e6} MB bodies`);
    // The flooders run in a worker thread: their writes must not delay this thread, which times the authenticated calls.
    const worker = new Worker(FLOOD_WORKER, { eval: true, workerData: { url, flooders: FLOODERS, bytes: FLOOD_BYTES } });
    await new Promise((r) => setTimeout(r, 500));
    const cpuBefore = server.cpuMs();
    const loud = await authenticated(PHASE_SEC);
    const floodCpuMs = server.cpuMs() - cpuBefore;
    const rssPeak = server.peakRssMb();
    const tally = await new Promise<FloodTally>((resolve) => {
      worker.once('message', (m: FloodTally) => resolve(m));
      worker.postMessage('stop');
    });
    await worker.terminate();
    // The same refusal with a tiny body and with the flood's: a noise-free check that the body costs nothing.
    const refusalCpu = { tinyBody: await refusalCpuMs(server, url, 100), floodBody: await refusalCpuMs(server, url, FLOOD_BYTES) };

    const results = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, loadavg1: round(loadavg()[0] ?? 0) },
      rate: RATE,
      phaseSec: PHASE_SEC,
      flooders: FLOODERS,
      floodBodyBytes: FLOOD_BYTES,
      quiet: pick(quiet),
      flood: pick(loud),
      p99Ratio: round(loud.p99Ms / quiet.p99Ms),
      floodRequests: tally.requests,
      floodStatuses: tally.statuses,
      floodCutOff: tally.cutOff,
      serviceCpuMsDuringFlood: floodCpuMs,
      rssMb: { quiet: rssQuiet, peak: rssPeak },
      refusalCpuMsPerCall: refusalCpu,
      met: loud.p99Ms <= 2 * quiet.p99Ms && loud.errors === 0,
    };
    writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      `quiet: p50 ${quiet.p50Ms} ms, p99 ${quiet.p99Ms} ms (${quiet.requests} calls, ${quiet.errors} errors)\n`
      + `flood: p50 ${loud.p50Ms} ms, p99 ${loud.p99Ms} ms (${loud.requests} calls, ${loud.errors} errors) = ${results.p99Ratio}x quiet p99\n`
      + `flooders: ${tally.requests} requests of ${FLOOD_BYTES / 1e6} MB, answers ${JSON.stringify(tally.statuses)}, ${tally.cutOff} cut off; `
      + `service CPU ${floodCpuMs} ms in ${PHASE_SEC} s; RSS ${rssQuiet} MB quiet, ${rssPeak} MB peak\n`
      + `CPU per refused call, one at a time: ${refusalCpu.tinyBody} ms with a 100 B body, ${refusalCpu.floodBody} ms with 4.8 MB (load average ${results.machine.loadavg1})\n`
      + `${results.met ? 'met   ' : 'MISSED'} authenticated p99 under flood within 2x of quiet\n`,
    );
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Service CPU per credential-less call with a body of `bytes`, sent one after another on new connections. */
async function refusalCpuMs(server: Spawned, url: string, bytes: number): Promise<number> {
  const tally: FloodTally = { requests: 0, statuses: {}, cutOff: 0 };
  const body = Buffer.alloc(bytes, 0x20);
  const before = server.cpuMs();
  await flooder(url, body, tally, () => tally.requests >= REFUSAL_PROBE_CALLS);
  return round((server.cpuMs() - before) / tally.requests, 3);
}

function pick(r: LoadResult): Record<string, unknown> {
  return { requests: r.requests, errors: r.errors, p50Ms: r.p50Ms, p90Ms: r.p90Ms, p99Ms: r.p99Ms, maxMs: r.maxMs, senderLagP99Ms: r.senderLagP99Ms, statusCodes: r.statusCodes };
}

main().catch((error: unknown) => {
  process.stderr.write(`flood bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
