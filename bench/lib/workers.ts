/**
 * Both cores: the same service with CDS_WORKERS=1 and =2 (node:cluster, one port), saturated in turn with the
 * prefetch call (development mode) and with the production call (a fresh ES384 JWT per request, pre-signed: signing
 * is the EHR's work). Rounds alternate 1, 2, 1, 2... so a change in the machine's other load hits both alike; the
 * median round of each is reported.
 */
import { readFileSync } from 'node:fs';
import type { BenchIssuer } from './issuer.js';
import { saturate } from './load.js';
import type { Spawned } from './processes.js';
import { median, round } from './stats.js';

export interface WorkerFigures {
  readonly prefetch1Rps: number;
  readonly prefetch2Rps: number;
  readonly jwt1Rps: number;
  readonly jwt2Rps: number;
  readonly prefetchRatio: number;
  readonly jwtRatio: number;
  readonly rounds: number;
  readonly connections: number;
  readonly errors: number;
  /** Cores the load generator (this process) used while saturating the prefetch call, median per worker count. */
  readonly generatorCores1: number;
  readonly generatorCores2: number;
  /** Cores the service used (all its processes) while saturated with the prefetch call, median per worker count. */
  readonly serviceCores1: number;
  readonly serviceCores2: number;
  /** Of that, with 1 worker: the event loop's thread alone (the rest is V8's helpers and libuv's pool). */
  readonly serviceMainThreadCores1: number;
}

export interface WorkersOptions {
  /** Starts the compiled service with extra env; resolves once it answers /healthz. */
  readonly start: (name: string, env: Record<string, string>) => Promise<Spawned>;
  readonly stop: (server: Spawned) => Promise<void>;
  readonly devEnv: () => Record<string, string>;
  readonly prodEnv: () => Record<string, string>;
  readonly issuer: BenchIssuer;
  readonly body: string;
  readonly connections: number;
  readonly durationSec: number;
  /** JWT calls per round (each token is good once). */
  readonly jwtCalls: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

/** Every worker of a cluster has logged 'ready' (healthz answers as soon as the first one listens). */
async function allReady(server: Spawned, workers: number): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const readies = readFileSync(server.logFile, 'utf8').split('\n').filter((l) => l.includes('"msg":"ready"')).length;
    if (readies >= workers) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${server.name}: not all ${workers} workers became ready`);
}

export async function measureWorkers(options: WorkersOptions): Promise<WorkerFigures> {
  const prefetch: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const jwt: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const generator: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const service: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const mainThread: number[] = [];
  let errors = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (const workers of [1, 2] as const) {
      const env = { CDS_WORKERS: String(workers) };
      const dev = await options.start(`workers-${workers}-dev-${round}`, { ...options.devEnv(), ...env });
      await allReady(dev, workers);
      const url = `${dev.base}/cds-services/lbp-encounter-start`;
      await saturate({ url, body: options.body, connections: options.connections, durationSec: 2 });
      // The generator shares the two cores with the service: what it takes is not there for a second worker.
      const cpuBefore = process.cpuUsage();
      const serviceBefore = dev.treeCpuMs();
      const mainBefore = dev.mainThreadCpuMs();
      const wallBefore = performance.now();
      const p = await saturate({ url, body: options.body, connections: options.connections, durationSec: options.durationSec });
      const cpu = process.cpuUsage(cpuBefore);
      const wall = performance.now() - wallBefore;
      generator[workers].push((cpu.user + cpu.system) / 1000 / wall);
      service[workers].push((dev.treeCpuMs() - serviceBefore) / wall);
      if (workers === 1) mainThread.push((dev.mainThreadCpuMs() - mainBefore) / wall);
      prefetch[workers].push(p.rps);
      errors += p.errors;
      await options.stop(dev);

      const prod = await options.start(`workers-${workers}-prod-${round}`, { ...options.prodEnv(), ...env });
      await allReady(prod, workers);
      const prodUrl = `${prod.base}/cds-services/lbp-encounter-start`;
      const warmCount = Math.floor(options.jwtCalls / 4);
      const tokens = await Promise.all(Array.from({ length: options.jwtCalls + warmCount }, () => options.issuer.sign(prodUrl)));
      const headersFor = () => ({ authorization: `Bearer ${tokens.pop()}` });
      await saturate({ url: prodUrl, body: options.body, connections: options.connections, amount: warmCount, headersFor });
      const j = await saturate({ url: prodUrl, body: options.body, connections: options.connections, amount: options.jwtCalls, headersFor });
      jwt[workers].push(j.rps);
      errors += j.errors;
      await options.stop(prod);
      options.log(`  round ${round + 1}, ${workers} worker(s): prefetch ${p.rps} req/s (service ${(service[workers].at(-1) ?? 0).toFixed(2)} cores, generator ${(generator[workers].at(-1) ?? 0).toFixed(2)}), JWT ${j.rps} req/s`);
    }
  }
  const figures = {
    prefetch1Rps: round(median(prefetch[1]), 1),
    prefetch2Rps: round(median(prefetch[2]), 1),
    jwt1Rps: round(median(jwt[1]), 1),
    jwt2Rps: round(median(jwt[2]), 1),
  };
  return {
    ...figures,
    prefetchRatio: round(figures.prefetch2Rps / figures.prefetch1Rps, 2),
    jwtRatio: round(figures.jwt2Rps / figures.jwt1Rps, 2),
    rounds: options.rounds,
    connections: options.connections,
    errors,
    generatorCores1: round(median(generator[1]), 2),
    generatorCores2: round(median(generator[2]), 2),
    serviceCores1: round(median(service[1]), 2),
    serviceCores2: round(median(service[2]), 2),
    serviceMainThreadCores1: round(median(mainThread), 2),
  };
}
