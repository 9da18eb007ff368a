import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoBundles } from '../../src/demo/patients.js';
import { evaluateNdjsonFolder } from '../../src/population/ndjson/evaluate-folder.js';
import { writeBundlesAsNdjson } from '../../src/population/ndjson/export-bundles.js';
import { finishPopulation, type PopulationResult } from '../../src/population/population-result.js';
import { PROJECT_ROOT } from '../support/start-service.js';

/**
 * The demo patients' worklist and report, with every expectation worked out by hand from the patients'
 * descriptions in src/demo/patients.ts and the course model (not from the engine).
 */
let dir: string;
const run = async (date: string): Promise<PopulationResult> =>
  finishPopulation(await evaluateNdjsonFolder(dir, { referenceDate: date, horizonDays: 14, period: 'quarter', lang: 'en' }, { workers: 0 }));
const brief = (r: PopulationResult) => r.items.map((i) => `${i.due} ${i.patientId.replace(/^lbp-|-patient$/g, '')} ${i.action} ${i.code ?? '-'}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lbp-demo-ndjson-'));
  await writeBundlesAsNdjson(loadDemoBundles(PROJECT_ROOT), dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo patients on 2026-11-25 (the day their current consultations start)', () => {
  it('lists the missing scores of the three score edge cases and the two courses of unknown type', async () => {
    const r = await run('2026-11-25');
    expect(brief(r)).toEqual([
      '2026-11-25 edge-course-type-unknown type-unknown -',
      // 0268 on its 3-month target with no ODI or PSFS answered for it.
      '2026-11-25 edge-follow-up-scores scores-missing 0268',
      // Entry 0110 today: PSFS answered two days before, ODI not at all.
      '2026-11-25 edge-missing-baseline-scores scores-missing 0110',
      // 0267 today, no ODI or PSFS in the 14 days before.
      '2026-11-25 edge-missing-final-scores scores-missing 0267',
      // Two course-2 courses recorded as Encounters only: the type cannot be known.
      '2026-11-25 noepisode type-unknown -',
    ]);
    const texts = Object.fromEntries(r.items.map((i) => [`${i.patientId} ${i.action}`, i.text]));
    expect(texts['lbp-edge-missing-baseline-scores-patient scores-missing']).toBe('ODI missing for 0110 on 2026-11-25');
    expect(texts['lbp-edge-missing-final-scores-patient scores-missing']).toBe('ODI and PSFS missing for 0267 on 2026-11-25');
    expect(r.items.find((i) => i.action === 'type-unknown')?.courseType).toBeNull();
  });

  it('reports the 17 courses by type, with the completed seed courses\' outcomes', async () => {
    const r = await run('2026-11-25');
    expect(r.report.patients).toBe(17);
    const all = Object.fromEntries(r.report.groups.filter((g) => g.period === 'all').map((g) => [g.courseType ?? 'unknown', g]));
    // started / finished: course 1; course 2, mid-course and ten course-2 edge cases; course 3 and the 0266 edge; two unknown.
    expect(Object.fromEntries(Object.entries(all).map(([k, g]) => [k, [g.started, g.finished, g.open]]))).toEqual({
      'self-training': [1, 1, 0],
      // Finished: course 2, and the final-consultation, follow-up-timing, missing-final-scores, follow-up-scores edges.
      recurrent: [12, 5, 7],
      persistent: [2, 1, 1],
      unknown: [2, 0, 2],
    });
    // Course 1: 0110 on 2025-09-08, 0267 on 2025-11-10: 63 days; follow-ups exactly at 3 and 9 months.
    expect(all['self-training']?.courseLengthDays).toEqual({ n: 1, mean: 63, median: 63 });
    expect(all['self-training']?.followUpOnTime).toEqual({ 3: { n: 1, of: 1, share: 1 }, 9: { n: 1, of: 1, share: 1 } });
    // Recurrent baseline: all but the missing-baseline edge (11 of 12); final: all but the missing-final edge (4 of 5).
    expect(all.recurrent?.baselineScoresComplete).toEqual({ n: 11, of: 12, share: 0.917 });
    expect(all.recurrent?.finalScoresComplete).toEqual({ n: 4, of: 5, share: 0.8 });
    // Follow-up at 3 months known for course 2 (on time), follow-up-timing (61 days late), follow-up-scores (on
    // target); at 9 months only course 2's is known.
    expect(all.recurrent?.followUpOnTime).toEqual({ 3: { n: 2, of: 3, share: 0.667 }, 9: { n: 1, of: 1, share: 1 } });
    // One finding from each limit edge case of course 2 (six of twelve courses), one from the persistent 0266 edge.
    expect(all.recurrent?.limitFindingsPer100).toBe(50);
    expect(all.persistent?.limitFindings).toEqual({ 'individual-training-limit': 1 });
    // Quarters of entry: course 1 entered 2025-09-08 (Q3).
    expect(r.report.groups.find((g) => g.courseType === 'self-training' && g.period !== 'all')?.period).toBe('2025-Q3');
  });
});

describe('the demo patients on 2027-02-10, eleven weeks later with nothing new recorded', () => {
  it('lists finals due at entry + 56 (course 2) and + 84 days (course 3), the first follow-up due, closing 0266 windows', async () => {
    const r = await run('2027-02-10');
    expect(brief(r)).toEqual([
      '2026-11-25 edge-follow-up-scores scores-missing 0268',
      '2026-11-25 edge-missing-baseline-scores scores-missing 0110',
      '2026-11-25 edge-missing-final-scores scores-missing 0267',
      // Entered 2026-11-02: + 56 days.
      '2026-12-28 c2mid final-due 0267',
      // Entered 2026-11-02 (group-training edge): + 56 days.
      '2026-12-28 edge-group-training-frequency final-due 0267',
      // Persistent, entered 2026-10-05: + 84 days.
      '2026-12-28 edge-individual-training-limit final-due 0267',
      '2027-01-04 edge-education-limit final-due 0267',
      '2027-01-11 edge-course-entry final-due 0267',
      '2027-01-11 edge-individual-education-exception final-due 0267',
      '2027-01-11 edge-one-per-day final-due 0267',
      // The new course entered 2026-11-25: + 56 days.
      '2027-01-20 edge-missing-baseline-scores final-due 0267',
      '2027-02-10 edge-course-type-unknown type-unknown -',
      '2027-02-10 noepisode type-unknown -',
      // Entered 2026-11-16, one 0266: the three-month window closes 2027-02-16, within 14 days.
      '2027-02-16 edge-course-type-unknown limit-near 0266',
      // 0267 on 2026-11-16: the 3-month target 2027-02-16 is within 14 days.
      '2027-02-16 edge-final-consultation follow-up-due 0268',
      '2027-02-16 edge-one-per-day limit-near 0266',
      '2027-02-16 noepisode limit-near 0266',
    ]);
    const due = r.items.find((i) => i.action === 'follow-up-due');
    expect(due?.text).toBe('Follow-up consultation (0268) at 3 months: target 2027-02-16, latest 2027-03-16');
  });

  it('turns the follow-up overdue once its 28-day tolerance has passed', async () => {
    const r = await run('2027-03-17');
    const fu = r.items.filter((i) => i.patientId === 'lbp-edge-final-consultation-patient' && i.code === '0268');
    expect(fu.map((i) => [i.action, i.due])).toEqual([['follow-up-overdue', '2027-02-16']]);
    const onTheDay = await run('2027-03-16');
    expect(onTheDay.items.filter((i) => i.patientId === 'lbp-edge-final-consultation-patient' && i.code === '0268').map((i) => i.action))
      .toEqual(['follow-up-due']);
  });
});
