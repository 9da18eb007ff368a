/**
 * `CDS_WORKERS=N` (N > 1): N processes serve one port (node:cluster; the primary hands connections round-robin), so
 * the service uses every core. Each worker is the ordinary service (src/main.ts) with its own event loop, hook
 * threads and connection to the one store (SQLite in WAL mode with a busy timeout, or the database server).
 *
 * The primary serves nothing itself. A worker that dies is replaced at once (a worker that cannot even start, e.g.
 * a configuration error, is not: the primary then exits with its code). SIGTERM or SIGINT to the primary is passed
 * to every worker, each drains its in-flight calls as a single process does, and the primary exits when all have,
 * or kills what is left after the drain's own cut-off.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

export interface ClusterOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** How long a draining worker may take before it is killed (its own cut-off is deadline + 2 s). */
  readonly drainMs: number;
}

/** A worker that exits this soon after it was forked did not start; replacing it would only loop. */
const START_GRACE_MS = 5_000;
/** Pause before replacing a worker that died soon after start-up, so a crash loop does not spin the CPU. */
const RESPAWN_BACKOFF_MS = 1_000;

export const isClusterWorker = (): boolean => cluster.isWorker;

/** A worker's log lines carry its number and pid, so the lines of N processes on one stream can be told apart. */
export function withWorkerId(logger: Logger): Logger {
  return cluster.isWorker && cluster.worker ? logger.child({ worker: cluster.worker.id, pid: process.pid }) : logger;
}

/** The first worker prints what a single process prints once (the demo commands). */
export const isFirstWorker = (): boolean => !cluster.isWorker || cluster.worker?.id === 1;

/** Runs the primary: forks and supervises the workers until a signal stops them all. */
export function runClusterPrimary(options: ClusterOptions): void {
  const { logger } = options;
  const forkedAt = new Map<number, number>();
  const listening = new Set<number>();
  let stopping = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    forkedAt.set(worker.id, performance.now());
    worker.once('listening', () => listening.add(worker.id));
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    const startedMs = performance.now() - (forkedAt.get(worker.id) ?? 0);
    const wasListening = listening.delete(worker.id);
    forkedAt.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('all workers stopped');
        process.exit(0);
      }
      return;
    }
    if (!wasListening && startedMs < START_GRACE_MS && code !== 0) {
      logger.error({ workerId: worker.id, code, signal }, 'worker failed to start; stopping');
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = code ?? 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(code ?? 1);
      return;
    }
    logger.warn({ workerId: worker.id, code, signal, pid: worker.process.pid }, 'worker exited; starting a replacement');
    if (startedMs < START_GRACE_MS) setTimeout(() => !stopping && fork(), RESPAWN_BACKOFF_MS).unref();
    else fork();
  });

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, 'stopping workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }, options.drainMs).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < options.workers; i++) fork();
  logger.info({ workers: options.workers, pid: process.pid }, 'cluster primary started');
}
