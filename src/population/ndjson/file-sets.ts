/**
 * An NDJSON folder as Bulk Data `$export` writes it: one or more files per resource type, `<Type>.ndjson` or
 * `<Type>.<part>.ndjson` (also `<Type>-<part>.ndjson`). Files that share a part name form a *file set*; the job
 * assumes a patient's resources are all in one set (true for one file per type, for our generator, and for the
 * output of a patient-partitioned export). Each set is one unit of work, so sets can run in parallel, or as
 * separate jobs on separate machines, and their partial results merge.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface FileSet {
  /** The part name shared by its files ('' for `<Type>.ndjson`). */
  readonly name: string;
  readonly files: readonly { readonly path: string; readonly type: string; readonly bytes: number }[];
  readonly bytes: number;
}

const NDJSON_NAME = /^([A-Z][A-Za-z]+)(?:[.-]([A-Za-z0-9_-]+))?\.ndjson$/;

export class NdjsonFolderError extends Error {
  override readonly name = 'NdjsonFolderError';
}

export function fileSets(dir: string): FileSet[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new NdjsonFolderError(`cannot read the NDJSON folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const sets = new Map<string, { path: string; type: string; bytes: number }[]>();
  for (const file of names.sort()) {
    const m = NDJSON_NAME.exec(file);
    if (!m) continue;
    const path = join(dir, file);
    const stat = statSync(path);
    if (!stat.isFile()) continue;
    const name = m[2] ?? '';
    const list = sets.get(name) ?? [];
    list.push({ path, type: m[1] as string, bytes: stat.size });
    sets.set(name, list);
  }
  if (sets.size === 0) throw new NdjsonFolderError(`no <Type>.ndjson files in ${dir}`);
  return [...sets.entries()].map(([name, files]) => ({ name, files, bytes: files.reduce((a, f) => a + f.bytes, 0) }));
}
