/**
 * Runs units of work on worker threads (or in this thread with `workers: 0`) and merges their partial results in
 * the order the units were given, so the result never depends on which worker finished first.
 */
import { Worker } from 'node:worker_threads';
import type { FileSet } from './ndjson/file-sets.js';
import { processUnit, type UnitProgress } from './ndjson/process-unit.js';
import { createPartial, mergePartials, type PartialResult, type PopulationOptions } from './population-result.js';

export interface PoolOptions {
  readonly workers: number;
  readonly onProgress?: (delta: UnitProgress) => void;
}

/** Under tsx (development, tests) the worker is TypeScript: it registers tsx's loader before importing it. */
/**
 * A worker's heap holds one unit (at most MAX_UNIT_BYTES of NDJSON, parsed) and the engine; the cap makes V8
 * collect early instead of growing towards the machine's default, which keeps the whole job inside its memory budget.
 */
export const WORKER_HEAP_MB = 128;

function startWorker(options: PopulationOptions): Worker {
  const here = import.meta.url;
  const data = { workerData: { options }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } };
  if (here.endsWith('.ts')) {
    const entry = new URL('./population-worker.ts', here).href;
    return new Worker(`import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(entry)});`, { eval: true, ...data });
  }
  return new Worker(new URL('./population-worker.js', here), data);
}

type FromWorker =
  | { type: 'ready' }
  | ({ type: 'progress' } & UnitProgress)
  | { type: 'done'; partial: PartialResult }
  | { type: 'error'; message: string };

export async function runUnits(units: readonly FileSet[], options: PopulationOptions, pool: PoolOptions): Promise<PartialResult> {
  const results: (PartialResult | undefined)[] = new Array(units.length);
  const onProgress = pool.onProgress ?? (() => {});
  if (pool.workers <= 0 || units.length <= 1) {
    for (const [i, unit] of units.entries()) results[i] = await processUnit(unit, options, onProgress);
  } else {
    let next = 0;
    const count = Math.min(pool.workers, units.length);
    await Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve, reject) => {
      const worker = startWorker(options);
      let current = -1;
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        void worker.terminate();
        if (error) reject(error);
        else resolve();
      };
      const give = (): void => {
        if (next >= units.length) {
          worker.postMessage({ type: 'stop' });
          finish();
          return;
        }
        current = next;
        next += 1;
        worker.postMessage({ type: 'unit', unit: units[current] });
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') give();
        else if (m.type === 'progress') onProgress({ bytes: m.bytes, patients: m.patients });
        else if (m.type === 'done') {
          results[current] = m.partial;
          give();
        } else finish(new Error(`population worker failed: ${m.message}`));
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => finish(code === 0 || settled ? undefined : new Error(`population worker exited with ${code}`)));
    })));
  }
  const total = createPartial(options);
  for (const r of results) if (r) mergePartials(total, r);
  return total;
}
