/**
 * The Bulk Data input: an NDJSON folder, streamed. Each file set is a unit of work; a set too large to group by
 * patient in memory is first partitioned by patient into buckets on disk (partition.ts). Units run on worker
 * threads; their partial results merge into one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartialResult, PopulationOptions } from '../population-result.js';
import { runUnits, type PoolOptions } from '../worker-pool.js';
import { fileSets, type FileSet } from './file-sets.js';
import { partitionSet } from './partition.js';
import { MAX_UNIT_BYTES } from './process-unit.js';

export interface FolderRun extends PoolOptions {
  /** Called once the units are known, with their total size (for a progress bar). */
  readonly onUnits?: (units: readonly FileSet[], totalBytes: number) => void;
  /** Where partition buckets go (default: the OS temporary folder); removed afterwards. */
  readonly tmpDir?: string;
  /** Sets larger than this are partitioned by patient first (default MAX_UNIT_BYTES). */
  readonly maxUnitBytes?: number;
}

export async function evaluateNdjsonFolder(dir: string, options: PopulationOptions, run: FolderRun): Promise<PartialResult> {
  const sets = fileSets(dir);
  const scratch = mkdtempSync(join(run.tmpDir ?? tmpdir(), 'lbp-population-'));
  try {
    const units: FileSet[] = [];
    let skipped = 0;
    const maxUnitBytes = run.maxUnitBytes ?? MAX_UNIT_BYTES;
    for (const [i, set] of sets.entries()) {
      if (set.bytes <= maxUnitBytes) {
        units.push(set);
        continue;
      }
      const out = join(scratch, `set-${i}`);
      await mkdir(out);
      const parts = await partitionSet(set, out, maxUnitBytes);
      units.push(...parts.units);
      skipped += parts.skipped;
    }
    run.onUnits?.(units, units.reduce((a, u) => a + u.bytes, 0));
    const result = await runUnits(units, options, run);
    result.skipped += skipped;
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
