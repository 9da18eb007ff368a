import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateNdjsonFolder } from '../../src/population/ndjson/evaluate-folder.js';
import { fileSets } from '../../src/population/ndjson/file-sets.js';
import { createPartial, finishPopulation, mergePartials, type PartialResult, type PopulationOptions } from '../../src/population/population-result.js';
import { writePopulation } from '../../scripts/population/write-population.js';

/** The job split by file set (threads, or separate jobs with a final merge) gives the result of one whole run. */
const OPTIONS: PopulationOptions = { referenceDate: '2026-11-25', horizonDays: 14, period: 'quarter', lang: 'da' };
let root: string;
let sets: string;
let whole: PartialResult;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lbp-split-'));
  sets = join(root, 'sets');
  await writePopulation({ patients: 300, seed: 3, referenceDate: OPTIONS.referenceDate, outDir: sets, patientsPerSet: 60 });
  whole = await evaluateNdjsonFolder(sets, OPTIONS, { workers: 0 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('splitting the population job', () => {
  it('reads the generator\'s folder as five file sets of 60 patients', () => {
    expect(fileSets(sets).map((s) => s.name)).toEqual(['0', '1', '2', '3', '4']);
    expect(whole.patients).toBe(300);
  });

  it('gives the same worklist and report on two worker threads as in one thread', async () => {
    const threaded = await evaluateNdjsonFolder(sets, OPTIONS, { workers: 2 });
    expect(finishPopulation(threaded)).toEqual(finishPopulation(whole));
  });

  it('merges partial results of separate jobs, one per file set, written to files, into the whole run\'s result', async () => {
    const partialFiles: string[] = [];
    for (const set of fileSets(sets)) {
      const own = join(root, `job-${set.name}`);
      mkdirSync(own);
      for (const f of set.files) copyFileSync(f.path, join(own, f.path.split('/').pop()!));
      const partial = await evaluateNdjsonFolder(own, OPTIONS, { workers: 0 });
      expect(partial.patients).toBe(60);
      const file = join(root, `partial-${set.name}.json`);
      writeFileSync(file, JSON.stringify(partial));
      partialFiles.push(file);
    }
    const merged = createPartial(OPTIONS);
    // Merged in reverse order: the result must not depend on the order the jobs finish.
    for (const file of partialFiles.reverse()) mergePartials(merged, JSON.parse((await import('node:fs')).readFileSync(file, 'utf8')) as PartialResult);
    expect(finishPopulation(merged)).toEqual(finishPopulation(whole));
  });

  it('partitions a single set too large to group in memory by patient on disk, with the same result', async () => {
    // All patients in one file per type, as a plain $export writes them.
    const flat = join(root, 'flat');
    mkdirSync(flat);
    for (const set of fileSets(sets)) {
      for (const f of set.files) appendFileSync(join(flat, `${f.type}.ndjson`), (await import('node:fs')).readFileSync(f.path));
    }
    expect(fileSets(flat)).toHaveLength(1);
    const partitioned = await evaluateNdjsonFolder(flat, OPTIONS, { workers: 2, maxUnitBytes: 200_000, tmpDir: root });
    expect(finishPopulation(partitioned)).toEqual(finishPopulation(whole));
    // The buckets are removed afterwards.
    expect(readdirSync(root).filter((n) => n.startsWith('lbp-population-'))).toEqual([]);
  });

  it('counts lines that are not JSON or name no patient, and refuses to merge results of different dates', async () => {
    const broken = join(root, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'Encounter.ndjson'), '{not json\n{"resourceType":"Encounter","id":"x"}\n\n');
    const r = await evaluateNdjsonFolder(broken, OPTIONS, { workers: 0 });
    expect([r.patients, r.skipped]).toEqual([0, 2]);
    expect(() => mergePartials(createPartial(OPTIONS), createPartial({ ...OPTIONS, referenceDate: '2026-11-26' }))).toThrow(/cannot be merged/);
  });
});
