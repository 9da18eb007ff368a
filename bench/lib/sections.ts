/**
 * The benchmark's sections for issue 11 (remote FHIR servers, a busy neighbour, both cores), each with the servers it
 * needs, started and stopped here; bench/run.ts calls them after its own sections and adds what they return to
 * results.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchIssuer } from './issuer.js';
import { measureIsolation, type IsolationFigures } from './isolation.js';
import { call } from './load.js';
import { encounterStartBody, midCoursePatient, prefetchFor, syntheticPatient, type BenchPatient } from './patients.js';
import type { Spawned } from './processes.js';
import { measureRemote, type RemoteCase } from './remote.js';
import { measureWorkers, type WorkerFigures } from './workers.js';

export interface SectionContext {
  readonly dir: string;
  readonly compiledArgs: readonly string[];
  readonly start: (name: string, args: readonly string[], env: Record<string, string>) => Promise<Spawned>;
  readonly stop: (server: Spawned) => Promise<void>;
  readonly serviceEnv: (extra?: Record<string, string>) => Record<string, string>;
  readonly fhirToken: string;
  readonly log: (line: string) => void;
}

/** The EHR's FHIR server (its own process) with the given patients loaded, bearer token required. */
async function startFhir(ctx: SectionContext, name: string, patients: readonly BenchPatient[]): Promise<Spawned> {
  const files = patients.map((p) => {
    const file = join(ctx.dir, `${name}-${p.patientId}.json`);
    writeFileSync(file, JSON.stringify(p.bundle));
    return file;
  });
  return ctx.start(name, ['--import', 'tsx', 'bench/servers/fhir-server.ts'], { FHIR_TOKEN: ctx.fhirToken, BUNDLE_FILES: files.join(',') });
}

export async function runRemote(ctx: SectionContext, options: {
  readonly sizes: readonly number[];
  readonly delays: readonly number[];
  readonly deadlineMs: number;
  readonly calls: number;
}): Promise<RemoteCase[]> {
  const patients = [midCoursePatient(), ...options.sizes.map((n) => syntheticPatient(n))];
  ctx.log(`remote: FHIR server behind a latency proxy (${options.delays.join(' and ')} ms per request), patients with ${patients.map((p) => p.consultations).join(', ')} consultations, deadline ${options.deadlineMs} ms`);
  const fhir = await startFhir(ctx, 'fhir-remote', patients);
  const service = await ctx.start('service-remote', ctx.compiledArgs, ctx.serviceEnv({ CDS_DEADLINE_MS: String(options.deadlineMs) }));
  try {
    return await measureRemote({
      serviceUrl: `${service.base}/cds-services/lbp-encounter-start`,
      fhirBase: `${fhir.base}/fhir`,
      accessToken: ctx.fhirToken,
      patients,
      delays: options.delays,
      calls: options.calls,
      log: ctx.log,
    });
  } finally {
    await ctx.stop(service);
    await ctx.stop(fhir);
  }
}

export interface IsolationSection extends IsolationFigures {
  /** The same run with the neighbour reading its 5,000 consultations from the FHIR server instead. */
  readonly fhirNeighbour: IsolationFigures;
  /** The prefetch neighbour again with CDS_POOL_THREADS=0: everything on the event loop, as before the threads. */
  readonly withoutThreads: IsolationFigures;
}

export async function runIsolation(ctx: SectionContext, options: {
  readonly bigConsultations: number;
  readonly rate: number;
  readonly durationSec: number;
}): Promise<IsolationSection> {
  const big = syntheticPatient(options.bigConsultations);
  const mid = midCoursePatient();
  const smallBody = JSON.stringify(encounterStartBody(mid, { prefetch: prefetchFor(mid) }));
  const bigPrefetch = JSON.stringify(encounterStartBody(big, { prefetch: prefetchFor(big) }));
  ctx.log(`isolation: small calls at ${options.rate}/s, quiet and beside a neighbour looping ${options.bigConsultations}-consultation calls (${Math.round(bigPrefetch.length / 1e5) / 10} MB prefetch, or read from FHIR)`);
  const fhir = await startFhir(ctx, 'fhir-isolation', [big]);
  const bigFhir = JSON.stringify(encounterStartBody(big, { fhirServer: `${fhir.base}/fhir`, accessToken: ctx.fhirToken }));
  // Deadline and body limit wide enough that the big calls are answered, not refused: the point is their cost.
  const env = { CDS_DEADLINE_MS: '5000', CDS_MAX_BODY_BYTES: String(32 * 1024 * 1024) };
  const run = async (name: string, extra: Record<string, string>, bigBody: string): Promise<IsolationFigures> => {
    const service = await ctx.start(name, ctx.compiledArgs, ctx.serviceEnv({ ...env, ...extra }));
    try {
      const url = `${service.base}/cds-services/lbp-encounter-start`;
      // Warm both paths (and let the worker threads start).
      for (let i = 0; i < 3; i++) await call(url, bigBody);
      for (let i = 0; i < 50; i++) await call(url, smallBody);
      const figures = await measureIsolation({ url, smallBody, bigBody, rate: options.rate, durationSec: options.durationSec });
      ctx.log(`  ${name}: quiet p99 ${figures.quietP99Ms} ms, busy p99 ${figures.busyP99Ms} ms (p50 ${figures.quietP50Ms} -> ${figures.busyP50Ms}), big call ${figures.bigCallMs} ms x ${figures.bigCalls} ${JSON.stringify(figures.bigStatuses)}`);
      return figures;
    } finally {
      await ctx.stop(service);
    }
  };
  try {
    const threads = await run('isolation-prefetch', {}, bigPrefetch);
    const fhirNeighbour = await run('isolation-fhir', {}, bigFhir);
    const withoutThreads = await run('isolation-no-threads', { CDS_POOL_THREADS: '0' }, bigPrefetch);
    return { ...threads, fhirNeighbour, withoutThreads };
  } finally {
    await ctx.stop(fhir);
  }
}

export async function runWorkers(ctx: SectionContext, options: {
  readonly issuer: BenchIssuer;
  readonly prodEnv: () => Record<string, string>;
  readonly connections: number;
  readonly durationSec: number;
  readonly jwtCalls: number;
  readonly rounds: number;
}): Promise<WorkerFigures> {
  const mid = midCoursePatient();
  const body = JSON.stringify(encounterStartBody(mid, { prefetch: prefetchFor(mid) }));
  ctx.log(`workers: CDS_WORKERS=1 vs 2, prefetch (development) and production with a JWT per call, ${options.rounds} round(s)`);
  return measureWorkers({
    start: (name, env) => ctx.start(name, ctx.compiledArgs, env),
    stop: ctx.stop,
    devEnv: () => ctx.serviceEnv(),
    prodEnv: options.prodEnv,
    issuer: options.issuer,
    body,
    connections: options.connections,
    durationSec: options.durationSec,
    jwtCalls: options.jwtCalls,
    rounds: options.rounds,
    log: ctx.log,
  });
}
