/**
 * Splits a file set too large to group in memory into buckets by a hash of the patient id: one streaming pass,
 * each line copied as it is to `Bucket.b<k>.ndjson`, so every patient's resources land in one bucket and each
 * bucket is a file set of its own. This is the external half of a hash grouping (as in a Grace hash join): memory
 * stays at one line per file plus the write buffers, whatever the size of the input.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileSets, type FileSet } from './file-sets.js';
import { BUCKET_TYPE, MAX_UNIT_BYTES } from './process-unit.js';
import { patientIdOf } from './patient-of.js';
import { readLines } from './read-lines.js';

/** FNV-1a, 32 bits: a cheap, well-spread hash of a short string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Buckets for a set: each about half the in-memory bound, so an unlucky hash still fits. */
export function bucketCount(bytes: number, maxUnitBytes: number = MAX_UNIT_BYTES): number {
  return Math.max(2, Math.ceil((bytes * 2) / maxUnitBytes));
}

/** Writes the buckets into `outDir` (which must exist and be empty) and returns them as file sets. */
export async function partitionSet(set: FileSet, outDir: string, maxUnitBytes: number = MAX_UNIT_BYTES): Promise<{ units: FileSet[]; skipped: number }> {
  const buckets = bucketCount(set.bytes, maxUnitBytes);
  const streams: WriteStream[] = Array.from({ length: buckets }, (_, k) => createWriteStream(join(outDir, `${BUCKET_TYPE}.b${k}.ndjson`)));
  let skipped = 0;
  for (const file of set.files) {
    for await (const line of readLines(file.path)) {
      let patientId: string | undefined;
      try {
        patientId = patientIdOf(JSON.parse(line));
      } catch {
        patientId = undefined;
      }
      if (patientId === undefined) {
        skipped += 1;
        continue;
      }
      const stream = streams[fnv1a(patientId) % buckets] as WriteStream;
      if (!stream.write(`${line}\n`)) await once(stream, 'drain');
    }
  }
  await Promise.all(streams.map((s) => new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())))));
  return { units: fileSets(outDir), skipped };
}
