/**
 * `npm run bench [-- --quick]`: the performance benchmark (issue 5). Servers run in their own processes on
 * 127.0.0.1; the load generator (autocannon and a small open-loop client) runs here. Prints a table and writes the
 * same figures to bench/results.json (`--out <file>` to write elsewhere).
 *
 * Modes: the throughput runs (floor, prefetch, fhir, scale) call the service in development mode, unauthenticated,
 * so they measure the hook path and nothing else; the start and memory runs use production mode (no sandbox, a
 * trusted issuer in CDS_CONFIG) with a freshly signed ES384 JWT on every request, as an EHR would call it, and
 * report that run's latency too (the price of JWT verification).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir, release } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { call, openLoop, saturate, type LoadResult } from './lib/load.js';
import { freePort, spawnServer, startProdNodeOptions, waitForOk, type Spawned } from './lib/processes.js';
import { encounterStartBody, midCoursePatient, prefetchFor, syntheticPatient, PROJECT_ROOT } from './lib/patients.js';
import { timeEngine, type EngineTiming } from './lib/engine.js';
import { createBenchIssuer } from './lib/issuer.js';
import { median, round, summarize, type LatencySummary } from './lib/stats.js';
import { stagesOf } from './lib/profile.js';
import { countWaves, fhirTimeOfCall, type FhirRequestSeen } from './lib/waves.js';
import { runIsolation, runRemote, runWorkers, type IsolationSection, type SectionContext } from './lib/sections.js';
import type { RemoteCase } from './lib/remote.js';
import type { WorkerFigures } from './lib/workers.js';
import type { BenchIssuer } from './lib/issuer.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
/** `--profile`: only profile the service under the prefetch load and print where its CPU goes (no results.json). */
const profileOnly = argv.includes('--profile');
const outIndex = argv.indexOf('--out');
const outFile = outIndex >= 0 && argv[outIndex + 1] ? argv[outIndex + 1]! : join(PROJECT_ROOT, 'bench', 'results.json');
/** The figures go to bench/results.json only when asked (`--save`, or `--out <file>`): a run leaves the tree clean. */
const save = argv.includes('--save') || outIndex >= 0;
/** `--only remote,isolation,workers`: just those sections (for working on them; never saved over the full figures). */
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((argv[onlyIndex + 1] ?? '').split(',')) : undefined;

/** Durations and counts; --quick keeps the whole run under two minutes on 2 cores. */
const P = quick
  ? { warmSec: 2, loadSec: 4, halfSec: 3, connections: 10, sequential: 150, waveCalls: 5, scaleCalls: [100, 60, 20], engineMs: 500, startRuns: 2, sustainSec: 8,
    remoteCalls: 5, isolationSec: 4, workerRounds: 1, workerSec: 4, workerJwtCalls: 1500 }
  : { warmSec: 5, loadSec: 20, halfSec: 15, connections: 10, sequential: 1000, waveCalls: 20, scaleCalls: [400, 200, 60], engineMs: 3000, startRuns: 10, sustainSec: 60,
    remoteCalls: 20, isolationSec: 15, workerRounds: 3, workerSec: 10, workerJwtCalls: 5000 };
/** Remote runs: consultations per patient and the proxy's delay per request. */
const REMOTE_PATIENTS = [100, 1000, 5000] as const;
const REMOTE_DELAYS_MS = [20, 100] as const;
/** The deadline the remote targets are stated for. */
const REMOTE_DEADLINE_MS = 1000;
/** Isolation: the small calls' fixed rate, and the neighbour's patient. */
const ISOLATION_RATE = 50;
const ISOLATION_BIG = 5000;
const SCALE = [10, 100, 1000] as const;
/** Pre-signed JWTs for the production saturation run (signing is the EHR's work, done before the clock runs). */
const PROD_TOKENS = quick ? 1500 : 6000;
const FHIR_TOKEN = 'bench-access-token-5c1e';
/** How long the FHIR server holds each request during the wave probe: far longer than it takes to send a wave. */
const WAVE_PROBE_DELAY_MS = 25;

/**
 * How the service process is started: the compiled build (`npm run build`, then `npm run start:prod` runs
 * `node dist/main.js`), which the bench builds first; tsx (`npm start`) is measured for its start time only.
 */
const TSX_ARGS = ['--import', 'tsx', 'src/main.ts'];
const COMPILED_ARGS = [...nodeOptions(), 'dist/main.js'];

/**
 * The node options `npm run start:prod` gives (package.json), so the bench measures the service as it is run. For
 * experiments BENCH_NODE_ARGS replaces them ('' for none) in every service the bench starts.
 */
function nodeOptions(): string[] {
  if (process.env.BENCH_NODE_ARGS !== undefined) return process.env.BENCH_NODE_ARGS.split(' ').filter(Boolean);
  return startProdNodeOptions();
}

const dir = mkdtempSync(join(tmpdir(), 'lbp-bench-'));
const servers: Spawned[] = [];
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function start(name: string, args: readonly string[], env: Record<string, string>): Promise<Spawned> {
  const server = await spawnServer({ name, args, env, dir });
  servers.push(server);
  await waitForOk(server);
  return server;
}

async function stop(server: Spawned): Promise<void> {
  await server.stop();
  servers.splice(servers.indexOf(server), 1);
}

function serviceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'development',
    CDS_SANDBOX: 'off',
    CDS_FEEDBACK_DB: join(dir, `feedback-${Math.random().toString(36).slice(2)}.sqlite`),
    // Production's level: one log line per request is part of the cost of a call (written to a file here).
    LOG_LEVEL: 'info',
    // Development calls here carry no JWT; the scale run's long histories exceed the 1 MiB default for those.
    CDS_ANONYMOUS_MAX_BODY_BYTES: String(32 * 1024 * 1024),
    // For experiments: BENCH_SERVICE_ENV='{"CDS_POOL_THREADS":"0"}' sets variables of every service the bench starts.
    ...(process.env.BENCH_SERVICE_ENV ? (JSON.parse(process.env.BENCH_SERVICE_ENV) as Record<string, string>) : {}),
    ...extra,
  };
}

async function warm(url: string, body: string, headers: Record<string, string> = {}): Promise<void> {
  await saturate({ url, body, headers, connections: P.connections, durationSec: P.warmSec });
}

async function sequential(url: string, body: string, count: number, headers: Record<string, string> = {}): Promise<LatencySummary & { errors: number }> {
  const samples: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const res = await call(url, body, headers);
    if (res.status !== 200) errors++;
    samples.push(res.ms);
  }
  return { ...summarize(samples), errors };
}

/** Runs a load and adds the server's CPU time per answered request (robust to other load on the machine). */
async function withCpu(server: Spawned, run: () => Promise<LoadResult>): Promise<LoadResult & { cpuMsPerCall: number }> {
  const before = server.cpuMs();
  const result = await run();
  return { ...result, cpuMsPerCall: round((server.cpuMs() - before) / Math.max(1, result.requests), 3) };
}

/** The service under `node --cpu-prof`, saturated with the prefetch call; the profile split into stages. */
async function profileService(body: string, label: string, env: Record<string, string> = {}): Promise<void> {
  const profDir = join(dir, `profile-${label}`);
  const server = await start(`profile-${label}`, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...COMPILED_ARGS], serviceEnv(env));
  const url = `${server.base}/cds-services/lbp-encounter-start`;
  await warm(url, body);
  const result = await withCpu(server, () => saturate({ url, body, connections: P.connections, durationSec: P.loadSec }));
  await stop(server);
  const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error('no CPU profile written');
  const { stages } = stagesOf(files.map((f) => join(profDir, f)));
  process.stdout.write(`\n${label}: ${result.rps} req/s under the profiler, ${result.cpuMsPerCall} ms CPU per call (the profiler adds its own)\n`);
  for (const s of stages) {
    process.stdout.write(`${String(s.percent).padStart(6)} %  ${round((s.percent / 100) * result.cpuMsPerCall, 3).toFixed(3).padStart(7)} ms  ${s.stage}\n`);
  }
}

async function main(): Promise<void> {
  if (argv.includes('--population')) return (await import('./population.js')).runPopulationBench({ quick });
  if (profileOnly) {
    log('building dist/ (npm run build)...');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    const mid = midCoursePatient();
    await profileService(JSON.stringify(encounterStartBody(mid, { prefetch: prefetchFor(mid) })), 'prefetch (mid-course)');
    const big = syntheticPatient(1000);
    await profileService(JSON.stringify(encounterStartBody(big, { prefetch: prefetchFor(big) })), 'prefetch (1,000 consultations)');
    const bundleFile = join(dir, 'mid.json');
    writeFileSync(bundleFile, JSON.stringify(mid.bundle));
    const fhir = await start('fhir', ['--import', 'tsx', 'bench/servers/fhir-server.ts'], { FHIR_TOKEN, BUNDLE_FILES: bundleFile });
    const fhirBody = JSON.stringify(encounterStartBody(mid, { fhirServer: `${fhir.base}/fhir`, accessToken: FHIR_TOKEN }));
    await profileService(fhirBody, 'fhir (mid-course, no prefetch)');
    // The same call on the event loop: what running it in a hook thread costs, stage by stage.
    await profileService(fhirBody, 'fhir (mid-course, no prefetch, CDS_POOL_THREADS=0)', { CDS_POOL_THREADS: '0' });
    await stop(fhir);
    return;
  }
  const began = performance.now();
  const mid = midCoursePatient();
  const prefetchBody = JSON.stringify(encounterStartBody(mid, { prefetch: prefetchFor(mid) }));
  const results: Record<string, unknown> = {
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: round(totalmem() / 1024 ** 3, 1),
      node: process.version,
      kernel: release(),
      // Others may share the machine: the load before the run says how quiet it was.
      loadAverage: loadavg().map((l) => round(l, 2)),
    },
    run: { mode: quick ? 'quick' : 'full', at: new Date().toISOString(), commit: gitCommit(), loadSec: P.loadSec, connections: P.connections },
  };

  log('building dist/ (npm run build)...');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (only) {
    Object.assign(results, await newSections(only));
    results.run = { ...(results.run as object), only: [...only], totalSec: round((performance.now() - began) / 1000, 1) };
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }

  // ---- servers for the throughput runs ----
  log('starting the FHIR server (embedded sandbox, own process) and the service (development mode)...');
  const bundleFile = join(dir, 'mid.json');
  writeFileSync(bundleFile, JSON.stringify(mid.bundle));
  const fhir = await start('fhir', ['--import', 'tsx', 'bench/servers/fhir-server.ts'], { FHIR_TOKEN, BUNDLE_FILES: bundleFile });
  const service = await start('service', COMPILED_ARGS, serviceEnv());
  const hookUrl = `${service.base}/cds-services/lbp-encounter-start`;

  let sample = await call(hookUrl, prefetchBody);
  for (let tries = 0; tries < 10 && sample.status !== 200; tries++) sample = await call(hookUrl, prefetchBody);
  if (sample.status !== 200) throw new Error(`the prefetch call answers ${sample.status}: ${sample.body.slice(0, 500)}`);
  const cardsFile = join(dir, 'cards.json');
  writeFileSync(cardsFile, sample.body);
  const cardCount = (JSON.parse(sample.body) as { cards: unknown[] }).cards.length;

  // ---- 1. floor ----
  log(`floor: bare express, same ${prefetchBody.length} B body, same ${sample.body.length} B answer (${cardCount} cards)`);
  const floorServer = await start('floor', ['--import', 'tsx', 'bench/servers/floor-server.ts'], { CARDS_FILE: cardsFile });
  const floorUrl = `${floorServer.base}/cds-services/lbp-encounter-start`;
  await warm(floorUrl, prefetchBody);
  const floor = await withCpu(floorServer, () => saturate({ url: floorUrl, body: prefetchBody, connections: P.connections, durationSec: P.loadSec }));
  const floorSeq = await sequential(floorUrl, prefetchBody, P.sequential);
  const floorAtRate = (rate: number) => openLoop({ url: floorUrl, body: prefetchBody, rate, durationSec: P.halfSec });

  // ---- 2. prefetch ----
  log('prefetch: encounter-start, complete prefetch, mid-course course-2 patient');
  await warm(hookUrl, prefetchBody);
  const prefetch = await withCpu(service, () => saturate({ url: hookUrl, body: prefetchBody, connections: P.connections, durationSec: P.loadSec }));
  const halfRate = Math.max(1, Math.floor(prefetch.rps / 2));
  // p99 is what other processes on a shared machine disturb most: three rounds, each followed by the floor at the
  // same rate with the same generator (what the machine alone does to p99 then); the median round is reported.
  const halfRounds: { service: LoadResult; floor: LoadResult }[] = [];
  for (let round = 0; round < 3; round++) {
    const service = await openLoop({ url: hookUrl, body: prefetchBody, rate: halfRate, durationSec: P.halfSec });
    halfRounds.push({ service, floor: await floorAtRate(halfRate) });
  }
  halfRounds.sort((a, b) => a.service.p99Ms - b.service.p99Ms);
  const { service: atHalf, floor: floorAtHalf } = halfRounds[1]!;
  const prefetchSeq = await sequential(hookUrl, prefetchBody, P.sequential);
  await stop(floorServer);

  // ---- 3. fhir ----
  log('fhir: the same call without prefetch, data read from the FHIR server with a bearer token');
  const fhirBody = JSON.stringify(encounterStartBody(mid, { fhirServer: `${fhir.base}/fhir`, accessToken: FHIR_TOKEN }));
  // The first calls warm the hook threads (JIT) and the FHIR server; on a busy machine one may miss the deadline.
  let fhirSample = await call(hookUrl, fhirBody);
  for (let tries = 0; tries < 10 && fhirSample.status !== 200; tries++) fhirSample = await call(hookUrl, fhirBody);
  if (fhirSample.status !== 200) throw new Error(`the fhir call answers ${fhirSample.status}: ${fhirSample.body.slice(0, 500)}`);
  if (fhirSample.body.replace(/"uuid":"[^"]+"/g, '') !== sample.body.replace(/"uuid":"[^"]+"/g, '')) {
    log('  note: the fhir call answers other cards than the prefetch call');
  }
  await warm(hookUrl, fhirBody);
  const fhirLoad = await withCpu(service, () => saturate({ url: hookUrl, body: fhirBody, connections: P.connections, durationSec: P.loadSec }));
  // Per call, one at a time: the FHIR server's own time (its requests' busy time) and the rest, the service's.
  const perCall: { totalMs: number; fhirMs: number; requests: number; handlerSumMs: number }[] = [];
  let fhirErrors = 0;
  let since = (await fhirLog(fhir, 0)).next;
  const connectionsBefore = await fhirConnections(fhir);
  const fhirCpuBefore = fhir.cpuMs();
  for (let i = 0; i < P.sequential; i++) {
    const res = await call(hookUrl, fhirBody);
    if (res.status !== 200) fhirErrors++;
    const seen = await fhirLog(fhir, since);
    since = seen.next;
    perCall.push({ totalMs: res.ms, ...fhirTimeOfCall(seen.entries) });
  }
  // The bench's own log requests reuse one keep-alive connection, so new connections are the service's.
  // All the FHIR process's CPU per call (HTTP parsing and writing of its 7 answers too, which the router's own time
  // above leaves out; and the bench's log request per call, a small extra).
  const fhirProcessCpuMsPerCall = round((fhir.cpuMs() - fhirCpuBefore) / P.sequential, 2);
  const connectionsPerCall = round((await fhirConnections(fhir) - connectionsBefore) / P.sequential, 2);
  // Waves: with every FHIR answer held back, requests sent in parallel all arrive before the first answer leaves.
  await call(`${fhir.base}/__bench/delay?ms=${WAVE_PROBE_DELAY_MS}`, '');
  const waves: number[] = [];
  const requestsPerCall: number[] = [];
  for (let i = 0; i < P.waveCalls; i++) {
    const res = await call(hookUrl, fhirBody);
    if (res.status !== 200) fhirErrors++;
    const seen = await fhirLog(fhir, since);
    since = seen.next;
    waves.push(countWaves(seen.entries));
    requestsPerCall.push(seen.entries.length);
  }
  await call(`${fhir.base}/__bench/delay?ms=0`, '');
  const fhirServerP50 = median(perCall.map((c) => c.fhirMs));
  const overheadP50 = median(perCall.map((c) => c.totalMs - c.fhirMs));

  // ---- 4. scale ----
  log('scale: 10, 100 and 1,000 consultations, engine alone and through HTTP with prefetch');
  const scale: Record<string, unknown>[] = [];
  // Built only now: big patients in this process's heap would add GC pauses to the latency runs above.
  for (const [i, patient] of SCALE.map((n) => syntheticPatient(n)).entries()) {
    const engine = timeEngine(patient, P.engineMs);
    const body = JSON.stringify(encounterStartBody(patient, { prefetch: prefetchFor(patient) }));
    let first = await call(hookUrl, body);
    for (let tries = 0; tries < 10 && first.status !== 200; tries++) first = await call(hookUrl, body);
    if (first.status !== 200) throw new Error(`scale ${patient.consultations}: ${first.status} ${first.body.slice(0, 300)}`);
    for (let w = 0; w < 5; w++) await call(hookUrl, body);
    const http = await sequential(hookUrl, body, P.scaleCalls[i]!);
    scale.push({ ...engineFigures(engine), httpP50Ms: http.p50Ms, httpP90Ms: http.p90Ms, httpP99Ms: http.p99Ms, httpErrors: http.errors, bodyBytes: body.length, answerBytes: first.body.length });
    log(`  ${patient.consultations}: engine ${engine.engineMs} ms, map ${engine.mapMs} ms, cards ${engine.cardsMs} ms, http p50 ${http.p50Ms} ms`);
  }
  const serviceRssAfterThroughput = service.rssMb();
  await stop(service);
  await stop(fhir);

  // ---- 5. start and memory (production mode, no sandbox, JWT on every call) ----
  const issuer = await createBenchIssuer(dir, ['http://127.0.0.1/fhir']);
  const prodEnv = (): Record<string, string> => serviceEnv({ NODE_ENV: 'production', CDS_CONFIG: issuer.configFile });
  const startWith = async (args: readonly string[]): Promise<{ firstOkMs: number[]; listeningMs: number[] }> => {
    const firstOkMs: number[] = [];
    const listeningMs: number[] = [];
    for (let r = 0; r < P.startRuns; r++) {
      const port = await freePort();
      const aud = `http://127.0.0.1:${port}/cds-services/lbp-encounter-start`;
      // Signed before the clock starts: signing is the EHR's cost, not the service's.
      const tokens = await Promise.all(Array.from({ length: 400 }, () => issuer.sign(aud)));
      const server = await spawnServer({ name: `start-${r}`, args, env: prodEnv(), dir, port });
      servers.push(server);
      // Listening first (plain TCP connects), then real hook calls until the first 200.
      listeningMs.push(await untilListening(server));
      for (;;) {
        const token = tokens.pop();
        if (!token) throw new Error('production start: no 200 within 400 calls');
        const res = await call(aud, prefetchBody, { authorization: `Bearer ${token}` });
        if (res.status === 200) {
          firstOkMs.push(performance.now() - server.spawnedAt);
          break;
        }
        if (res.status === 401) throw new Error(`production start: 401 ${res.body.slice(0, 300)}`);
      }
      await stop(server);
    }
    return { firstOkMs, listeningMs };
  };
  log(`start: production mode, process start to the first 200 of a real hook call with a JWT (${P.startRuns} runs each, compiled and tsx)`);
  const compiledStart = await startWith(COMPILED_ARGS);
  const tsxStart = await startWith(TSX_ARGS);

  const prod = await start('production', COMPILED_ARGS, prodEnv());
  const prodUrl = `${prod.base}/cds-services/lbp-encounter-start`;
  const rssAtStart = prod.rssMb();
  log(`production: saturation with ${PROD_TOKENS} pre-signed JWTs, then ${P.sustainSec} s at half that rate (JWTs signed beforehand)`);
  const tokens = await Promise.all(Array.from({ length: PROD_TOKENS }, () => issuer.sign(prodUrl)));
  // Warm-up on the first tenth of the tokens (each token is good once: the service refuses a replayed jti).
  const warmTokens = tokens.splice(0, Math.floor(PROD_TOKENS / 10));
  await saturate({ url: prodUrl, body: prefetchBody, connections: P.connections, amount: warmTokens.length, headersFor: () => ({ authorization: `Bearer ${warmTokens.pop()}` }) });
  const prodMax = await withCpu(prod, () =>
    saturate({ url: prodUrl, body: prefetchBody, connections: P.connections, amount: tokens.length, headersFor: () => ({ authorization: `Bearer ${tokens.pop()}` }) }),
  );
  const prodHalfRate = Math.max(1, Math.floor(prodMax.rps / 2));
  const sustainTokens = await Promise.all(Array.from({ length: Math.ceil(prodHalfRate * P.sustainSec) + 10 }, () => issuer.sign(prodUrl)));
  // RSS every 5 s: a plateau is the heap finding its size, a steady climb would be a leak.
  const rssTimeline: number[] = [];
  const sampler = setInterval(() => rssTimeline.push(prod.rssMb()), 5000);
  const sustained = await openLoop({
    url: prodUrl,
    body: prefetchBody,
    rate: prodHalfRate,
    durationSec: P.sustainSec,
    headersFor: () => ({ authorization: `Bearer ${sustainTokens.pop()}` }),
  });
  clearInterval(sampler);
  const rssAfter = prod.rssMb();
  const peakRss = prod.peakRssMb();
  await stop(prod);

  // ---- 6-8. remote FHIR servers, a busy neighbour, both cores ----
  const added = await newSections(undefined, issuer, prodEnv);

  // ---- results ----
  const startFigures = (s: { firstOkMs: number[]; listeningMs: number[] }) => ({
    firstOkMs: round(median(s.firstOkMs), 0),
    firstOkMaxMs: round(Math.max(...s.firstOkMs), 0),
    listeningMs: round(median(s.listeningMs), 0),
    runs: s.firstOkMs.length,
  });
  const tsxFigures = startFigures(tsxStart);
  const compiledFigures = startFigures(compiledStart);
  Object.assign(results, {
    floor: { ...load(floor), sequentialP50Ms: floorSeq.p50Ms, sequentialP99Ms: floorSeq.p99Ms },
    prefetch: {
      ...load(prefetch),
      ...vsFloor(prefetch, floor),
      // CPU per call of the service and, in the same run, of the bare-express floor (the target is a ratio).
      floorCpuMsPerCall: floor.cpuMsPerCall,
      // Throughput each would have with a core to itself: the ratio of CPU per call, immune to other load.
      cpuRatioVsFloor: round(floor.cpuMsPerCall / prefetch.cpuMsPerCall, 3),
      halfRate,
      p99AtHalfRateMs: atHalf.p99Ms,
      p50AtHalfRateMs: atHalf.p50Ms,
      errorsAtHalfRate: atHalf.errors,
      statusCodesAtHalfRate: atHalf.statusCodes,
      // The same open-loop generator against the floor at the same rate: the machine's and generator's share.
      floorP99AtHalfRateMs: floorAtHalf.p99Ms,
      senderLagP99Ms: atHalf.senderLagP99Ms,
      p99AtHalfRateRoundsMs: halfRounds.map((r) => r.service.p99Ms),
      floorP99AtHalfRateRoundsMs: halfRounds.map((r) => r.floor.p99Ms),
      sequentialP50Ms: prefetchSeq.p50Ms,
      sequentialP99Ms: prefetchSeq.p99Ms,
      cards: cardCount,
      bodyBytes: prefetchBody.length,
      answerBytes: sample.body.length,
    },
    fhir: {
      ...load(fhirLoad),
      errors: fhirLoad.errors + fhirErrors,
      ...vsFloor(fhirLoad, floor),
      sequentialP50Ms: round(median(perCall.map((c) => c.totalMs))),
      fhirServerP50Ms: round(fhirServerP50),
      fhirProcessCpuMsPerCall,
      overheadP50Ms: round(overheadP50),
      // The floor's own sequential round trip is part of any HTTP call: what is left is the service's code.
      overheadAboveFloorP50Ms: round(overheadP50 - floorSeq.p50Ms),
      fhirRequestsPerCall: median(requestsPerCall),
      fhirConnectionsPerCall: connectionsPerCall,
      waves: Math.max(...waves),
      wavesPerCall: waves,
      waveProbeDelayMs: WAVE_PROBE_DELAY_MS,
    },
    scale,
    start: { ...compiledFigures, runner: 'node dist/main.js (npm run build; npm run start:prod)', tsx: { ...tsxFigures, runner: 'node --import tsx src/main.ts (npm start)' } },
    production: { ...load(prodMax), cpuMsPerCall: prodMax.cpuMsPerCall, p50AtHalfRateMs: sustained.p50Ms, p99AtHalfRateMs: sustained.p99Ms, halfRate: prodHalfRate, errorsAtHalfRate: sustained.errors },
    memory: {
      rssMb: rssAfter,
      peakRssMb: peakRss,
      rssAtStartMb: rssAtStart,
      rssEvery5sMb: rssTimeline,
      sustainedSec: P.sustainSec,
      rate: prodHalfRate,
      requests: sustained.requests,
      errors: sustained.errors,
      statusCodes: sustained.statusCodes,
      errorKinds: sustained.errorKinds,
      p50Ms: sustained.p50Ms,
      p99Ms: sustained.p99Ms,
      developmentRssAfterThroughputMb: serviceRssAfterThroughput,
    },
    ...added,
  });
  const scaleRows = scale as unknown as (EngineFigures & { httpP50Ms: number })[];
  const targets = [
    // (The earlier "50 % of the floor" targets are withdrawn by issue 11; its CPU targets are below.)
    target('prefetch p99 at half rate <= 10 ms', atHalf.p99Ms, 'ms', (v) => v <= 10),
    target('fhir: one parallel wave', Math.max(...waves), 'waves', (v) => v === 1),
    target('fhir: service overhead p50 <= 3 ms', overheadP50, 'ms', (v) => v <= 3),
    target('engine: 1,000 consultations < 2 ms', scaleRows[2]!.engineMs, 'ms', (v) => v < 2),
    target('engine: 10x data <= 12x time (10->100)', scaleRows[1]!.engineMs / scaleRows[0]!.engineMs, 'x', (v) => v <= 12),
    target('engine: 10x data <= 12x time (100->1000)', scaleRows[2]!.engineMs / scaleRows[1]!.engineMs, 'x', (v) => v <= 12),
    target('http: 10x data <= 12x time (100->1000)', scaleRows[2]!.httpP50Ms / scaleRows[1]!.httpP50Ms, 'x', (v) => v <= 12),
    target('start to first 200 < 1.5 s', compiledFigures.firstOkMs, 'ms', (v) => v < 1500),
    target('rss after a sustained run < 200 MB', rssAfter, 'MB', (v) => v < 200),
    ...newTargets(added, prefetch.cpuMsPerCall, floor.cpuMsPerCall),
  ];
  results.targets = targets;
  results.run = { ...(results.run as object), totalSec: round((performance.now() - began) / 1000, 1) };

  if (save) writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${table(results, floor)}\n`);
  process.stdout.write(save
    ? `\nwritten to ${outFile} in ${round((performance.now() - began) / 1000, 1)} s\n`
    : `\ndone in ${round((performance.now() - began) / 1000, 1)} s (not saved: --save writes bench/results.json)\n`);
}

/** Remote, isolation and workers (bench/lib/sections.ts); `sections` undefined: all of them. */
async function newSections(sections: Set<string> | undefined, givenIssuer?: BenchIssuer, givenProdEnv?: () => Record<string, string>) {
  const ctx: SectionContext = {
    dir, compiledArgs: COMPILED_ARGS, start, stop, serviceEnv, fhirToken: FHIR_TOKEN, log,
  };
  const want = (name: string): boolean => !sections || sections.has(name);
  const out: Record<string, unknown> = {};
  if (want('remote')) {
    out.remote = await runRemote(ctx, { sizes: REMOTE_PATIENTS, delays: REMOTE_DELAYS_MS, deadlineMs: REMOTE_DEADLINE_MS, calls: P.remoteCalls });
  }
  if (want('isolation')) {
    out.isolation = await runIsolation(ctx, { bigConsultations: ISOLATION_BIG, rate: ISOLATION_RATE, durationSec: P.isolationSec });
  }
  if (want('workers')) {
    const issuer = givenIssuer ?? await createBenchIssuer(dir, ['http://127.0.0.1/fhir']);
    const prodEnv = givenProdEnv ?? (() => serviceEnv({ NODE_ENV: 'production', CDS_CONFIG: issuer.configFile }));
    out.workers = await runWorkers(ctx, {
      issuer, prodEnv, connections: P.connections, durationSec: P.workerSec, jwtCalls: P.workerJwtCalls, rounds: P.workerRounds,
    });
  }
  return out;
}

function newTargets(added: Record<string, unknown>, cpuMsPerCall: number, floorCpuMsPerCall: number) {
  const remote = added.remote as RemoteCase[];
  const at = (encounters: number, delayMs: number) => remote.find((r) => r.encounters === encounters && r.delayMs === delayMs)!;
  const normal = remote.filter((r) => r.encounters === midCoursePatient().consultations && r.delayMs === 100)[0]!;
  const isolation = added.isolation as IsolationSection;
  const workers = added.workers as WorkerFigures;
  return [
    target('remote 100 ms: 1,000 encounters in <= 2 waves', at(1000, 100).waves, 'waves', (v) => v <= 2),
    target('remote 100 ms: 1,000 encounters p50 <= 230 ms', at(1000, 100).p50Ms, 'ms', (v) => v <= 230),
    target('remote 100 ms: 5,000 encounters answered within a 1 s deadline', (at(5000, 100).statuses['200'] ?? 0) / at(5000, 100).calls * 100, '% answered 200', (v) => v === 100),
    target('remote 100 ms: normal patient in 1 wave', normal.waves, 'waves', (v) => v === 1),
    // Own: above a bare client sending the same requests through the same proxy (the proxy and the FHIR server are
    // not the service). overheadMs, the p50 above 1 wave's delay, counts them too; it stays in results.json.
    target('remote 100 ms: normal patient own overhead p50 <= 3 ms', normal.ownMs ?? Number.NaN, 'ms', (v) => v <= 3),
    target('isolation: busy p99 <= quiet p99 + 10 ms', isolation.busyP99Ms - isolation.quietP99Ms, 'ms above quiet', (v) => v <= 10),
    target('workers: prefetch 2 workers >= 1.7x 1', workers.prefetchRatio, 'x', (v) => v >= 1.7),
    target('workers: JWT 2 workers >= 1.7x 1', workers.jwtRatio, 'x', (v) => v >= 1.7),
    target('prefetch CPU per call <= 0.55 ms', cpuMsPerCall, 'ms', (v) => v <= 0.55),
    target('prefetch CPU per call: floor >= 35 % of it', (floorCpuMsPerCall / cpuMsPerCall) * 100, '%', (v) => v >= 35),
  ];
}

type EngineFigures = ReturnType<typeof engineFigures>;
function engineFigures(e: EngineTiming) {
  return {
    consultations: e.consultations,
    resources: e.resources,
    engineMs: e.engineMs,
    mapMs: e.mapMs,
    cardsMs: e.cardsMs,
    inProcessMs: round(e.engineMs + e.mapMs + e.cardsMs, 3),
    findings: e.findings,
    cards: e.cards,
  };
}

function load(r: LoadResult & { cpuMsPerCall?: number }) {
  return {
    rps: r.rps,
    p50Ms: r.p50Ms,
    p90Ms: r.p90Ms,
    p99Ms: r.p99Ms,
    errors: r.errors,
    requests: r.requests,
    ...(r.cpuMsPerCall !== undefined ? { cpuMsPerCall: r.cpuMsPerCall } : {}),
  };
}

function vsFloor(r: LoadResult, floor: LoadResult) {
  return { rpsVsFloor: round(r.rps / floor.rps, 3), p50VsFloor: round(r.p50Ms / floor.p50Ms, 2), p99VsFloor: round(r.p99Ms / floor.p99Ms, 2) };
}

function target(name: string, value: number, unit: string, ok: (v: number) => boolean) {
  return { name, value: round(value, 2), unit, met: ok(value) };
}

async function untilListening(server: Spawned): Promise<number> {
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited; see ${server.logFile}`);
    const connected = await new Promise<boolean>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return performance.now() - server.spawnedAt;
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function fhirConnections(fhir: Spawned): Promise<number> {
  return (JSON.parse((await call(`${fhir.base}/__bench/connections`, undefined)).body) as { connections: number }).connections;
}

async function fhirLog(fhir: Spawned, since: number): Promise<{ entries: FhirRequestSeen[]; next: number }> {
  const res = await call(`${fhir.base}/__bench/log?since=${since}`, undefined);
  const entries = JSON.parse(res.body) as FhirRequestSeen[];
  return { entries, next: since + entries.length };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function table(r: Record<string, any>, floor: LoadResult): string {
  const pad = (s: unknown, n: number): string => String(s).padStart(n);
  const lines: string[] = [];
  lines.push(`machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, node ${r.machine.node}, load average before ${r.machine.loadAverage.join(' ')}; `
    + `${r.run.mode} run, ${r.run.loadSec} s per load, ${r.run.connections} connections`);
  lines.push('');
  lines.push(`${'run'.padEnd(26)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p90 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}${pad('rps/floor', 11)}${pad('p50/floor', 11)}${pad('cpu ms/call', 13)}`);
  const row = (name: string, x: { rps: number; p50Ms: number; p90Ms: number; p99Ms: number; errors: number; cpuMsPerCall?: number }): void => {
    lines.push(`${name.padEnd(26)}${pad(x.rps, 9)}${pad(x.p50Ms, 9)}${pad(x.p90Ms, 9)}${pad(x.p99Ms, 9)}${pad(x.errors, 8)}${pad(round(x.rps / floor.rps, 3), 11)}${pad(round(x.p50Ms / floor.p50Ms, 2), 11)}${pad(x.cpuMsPerCall ?? '', 13)}`);
  };
  row('floor (bare express)', r.floor);
  row('prefetch', r.prefetch);
  lines.push(`${'prefetch at half rate'.padEnd(26)}${pad(r.prefetch.halfRate, 9)}${pad(r.prefetch.p50AtHalfRateMs, 9)}${pad('', 9)}${pad(r.prefetch.p99AtHalfRateMs, 9)}${pad(r.prefetch.errorsAtHalfRate, 8)}`);
  lines.push(`${'floor at that rate'.padEnd(26)}${pad(r.prefetch.halfRate, 9)}${pad('', 9)}${pad('', 9)}${pad(r.prefetch.floorP99AtHalfRateMs, 9)}`);
  row('fhir (no prefetch)', r.fhir);
  row('production (JWT per call)', r.production);
  lines.push('');
  lines.push(`fhir, one call at a time: total p50 ${r.fhir.sequentialP50Ms} ms = FHIR server ${r.fhir.fhirServerP50Ms} ms + service ${r.fhir.overheadP50Ms} ms `
    + `(floor round trip ${r.floor.sequentialP50Ms} ms); ${r.fhir.fhirRequestsPerCall} FHIR requests per call in ${r.fhir.waves} wave(s)`);
  lines.push('');
  lines.push(`${'consultations'.padEnd(14)}${pad('resources', 10)}${pad('engine ms', 11)}${pad('map ms', 9)}${pad('cards ms', 10)}${pad('http p50 ms', 13)}${pad('http p99 ms', 13)}`);
  for (const s of r.scale) {
    lines.push(`${String(s.consultations).padEnd(14)}${pad(s.resources, 10)}${pad(s.engineMs, 11)}${pad(s.mapMs, 9)}${pad(s.cardsMs, 10)}${pad(s.httpP50Ms, 13)}${pad(s.httpP99Ms, 13)}`);
  }
  lines.push('');
  lines.push(`start to first 200 (production, JWT): ${r.start.firstOkMs} ms median (${r.start.runner}); tsx ${r.start.tsx.firstOkMs} ms`);
  lines.push(`memory (production): rss ${r.memory.rssMb} MB after ${r.memory.sustainedSec} s at ${r.memory.rate}/s, half the production maximum `
    + `(peak ${r.memory.peakRssMb} MB, ${r.memory.rssAtStartMb} MB at start; p50 ${r.memory.p50Ms} ms, p99 ${r.memory.p99Ms} ms; errors ${r.memory.errors})`);
  lines.push('');
  lines.push(...newSectionLines(r));
  lines.push('');
  for (const t of r.targets as { name: string; value: number; unit: string; met: boolean }[]) {
    lines.push(`${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.value} ${t.unit}`);
  }
  return lines.join('\n');
}

function newSectionLines(r: Record<string, any>): string[] {
  const lines: string[] = [];
  // over: p50 above the waves' delay; bare: a bare client's p50 for the same requests; own: p50 above bare.
  lines.push(`${'remote: encounters'.padEnd(20)}${'delay ms'.padStart(9)}${'p50 ms'.padStart(9)}${'waves'.padStart(7)}${'requests'.padStart(10)}${'over ms'.padStart(9)}${'bare ms'.padStart(9)}${'own ms'.padStart(8)}  statuses`);
  for (const c of r.remote as RemoteCase[]) {
    lines.push(`${String(c.encounters).padEnd(20)}${String(c.delayMs).padStart(9)}${String(c.p50Ms).padStart(9)}${String(c.waves).padStart(7)}${String(c.requests).padStart(10)}${String(c.overheadMs).padStart(9)}${String(c.directP50Ms ?? '-').padStart(9)}${String(c.ownMs ?? '-').padStart(8)}  ${JSON.stringify(c.statuses)}`);
  }
  const i = r.isolation as IsolationSection;
  const iso = (name: string, f: IsolationSection | IsolationSection['fhirNeighbour']) =>
    `isolation (${name}): small calls at ${f.rate}/s p99 quiet ${f.quietP99Ms} ms, busy ${f.busyP99Ms} ms; big call ${f.bigCallMs} ms, `
    + `CPU ${f.bigCallCpuMs} ms of which ${f.bigCallLoopCpuMs} ms on the event loop`;
  lines.push('', iso('5,000-consultation prefetch neighbour', i), iso('same, read from FHIR', i.fhirNeighbour), iso('prefetch neighbour, CDS_POOL_THREADS=0', i.withoutThreads));
  const w = r.workers as WorkerFigures;
  lines.push('', `workers: prefetch ${w.prefetch1Rps} -> ${w.prefetch2Rps} req/s (${w.prefetchRatio}x), JWT ${w.jwt1Rps} -> ${w.jwt2Rps} req/s (${w.jwtRatio}x)`);
  lines.push(`prefetch CPU per call ${r.prefetch.cpuMsPerCall} ms, floor ${r.prefetch.floorCpuMsPerCall} ms`);
  return lines;
}

// `--flood`: issue 10's credential-less flood, in its own script (bench/flood.ts).
(argv.includes('--flood') ? import('./flood.js').then(() => undefined) : main())
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    // The servers' own logs say why (a crash, a refused start) before the run's directory is removed.
    for (const server of servers) {
      process.stderr.write(`--- ${server.name} (${server.logFile}), last lines:\n${tail(server.logFile)}\n`);
    }
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const server of [...servers]) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
