import { describe, expect, it } from 'vitest';
import { consult, course, findingsOf, now, score } from '../builders.js';
import { evaluateCourse, parseCourseConfig } from '../../support/engine.js';

describe('outcome-change', () => {
  const base = [consult('0110', '2025-02-03'), consult('0265', '2025-02-05')];
  const baseline = [score('odi', '2025-02-01', 40), score('psfs', '2025-02-01', 3), score('nprs', '2025-02-01', 6)];

  it('reports the change of every instrument at the 0267 and marks the clinically important ones', () => {
    const scores = [...baseline, score('odi', '2025-04-28', 32), score('psfs', '2025-04-28', 6), score('nprs', '2025-04-28', 5)];
    const [f] = findingsOf(evaluateCourse(course('persistent', [...base, now('0267', '2025-04-28')], scores), '2025-04-28'), 'outcome-change');
    expect(f).toMatchObject({ kind: 'change', severity: 'info', causedByCurrent: true });
    const changes = f?.facts.changes as { instrument: string; change: number; clinicallyImportant: boolean; improved: boolean }[];
    expect(changes.map((c) => [c.instrument, c.change, c.improved, c.clinicallyImportant])).toEqual([
      ['odi', -8, true, false], // 8 points, 20 %: below both thresholds
      ['psfs', 3, true, true],
      ['nprs', -1, true, false],
    ]);
  });

  it('marks an ODI change of 30 % as important even below 10 points', () => {
    const scores = [score('odi', '2025-02-01', 20), score('odi', '2025-04-28', 14)];
    const [f] = findingsOf(evaluateCourse(course('persistent', [...base, now('0267', '2025-04-28')], scores), '2025-04-28'), 'outcome-change');
    expect((f?.facts.changes as { clinicallyImportant: boolean }[])[0]?.clinicallyImportant).toBe(true);
  });

  it('follows configured thresholds', () => {
    const config = parseCourseConfig({ scores: { changeThresholds: { odi: { points: 8 } } } });
    const scores = [score('odi', '2025-02-01', 40), score('odi', '2025-04-28', 32)];
    const [f] = findingsOf(evaluateCourse(course('persistent', [...base, now('0267', '2025-04-28')], scores), '2025-04-28', config), 'outcome-change');
    expect((f?.facts.changes as { clinicallyImportant: boolean }[])[0]?.clinicallyImportant).toBe(true);
  });

  it('is issued at a 0268 too, and not at other consultations', () => {
    const scores = [...baseline, score('odi', '2025-07-01', 10)];
    const at0268 = evaluateCourse(course('persistent', [...base, consult('0267', '2025-04-28'), now('0268', '2025-07-01')], scores), '2025-07-01');
    expect(findingsOf(at0268, 'outcome-change')).toHaveLength(1);
    const at0266 = evaluateCourse(course('persistent', [...base, now('0266', '2025-03-01')], [...baseline, score('odi', '2025-03-01', 10)]), '2025-03-01');
    expect(findingsOf(at0266, 'outcome-change')).toEqual([]);
  });

  it('is not issued without a baseline or without a later score', () => {
    const noBaseline = [score('odi', '2025-04-28', 20)];
    expect(findingsOf(evaluateCourse(course('persistent', [...base, now('0267', '2025-04-28')], noBaseline), '2025-04-28'), 'outcome-change')).toEqual([]);
    expect(findingsOf(evaluateCourse(course('persistent', [...base, now('0267', '2025-04-28')], baseline), '2025-04-28'), 'outcome-change')).toEqual([]);
  });

  it('compares PSFS on the shared activities only', () => {
    const scores = [
      score('psfs', '2025-02-01', 3, [{ id: 'walk', value: 2 }, { id: 'lift', value: 4 }]),
      score('psfs', '2025-04-28', 8, [{ id: 'walk', value: 6 }, { id: 'garden', value: 10 }]),
    ];
    const [f] = findingsOf(evaluateCourse(course('persistent', [...base, now('0267', '2025-04-28')], scores), '2025-04-28'), 'outcome-change');
    const [psfs] = f?.facts.changes as { basis: string; baselineValue: number; currentValue: number; change: number; activities: { id: string; change: number; clinicallyImportant: boolean }[] }[];
    expect(psfs).toMatchObject({ basis: 'shared-activities', baselineValue: 2, currentValue: 6, change: 4 });
    expect(psfs?.activities).toMatchObject([{ id: 'walk', change: 4, clinicallyImportant: true }]);
  });

  it('takes the PSFS change between the means as shown (one decimal), so start, now and change add up', () => {
    const acts = (values: number[]) => values.map((value, i) => ({ id: `a${i}`, value }));
    const scores = [score('psfs', '2025-02-01', 3.3, acts([3, 2, 4, 4])), score('psfs', '2025-04-28', 7, acts([7, 6, 8, 7]))];
    const [f] = findingsOf(evaluateCourse(course('persistent', [...base, now('0267', '2025-04-28')], scores), '2025-04-28'), 'outcome-change');
    const [psfs] = f?.facts.changes as { baselineValue: number; currentValue: number; change: number }[];
    expect(psfs).toMatchObject({ baselineValue: 3.3, currentValue: 7, change: 3.7 }); // not 7 - 3.25 = 3.75 -> 3.8
  });

  it('claims no PSFS change when no activity is shared', () => {
    const scores = [
      score('psfs', '2025-02-01', 3, [{ id: 'walk', value: 3 }]),
      score('psfs', '2025-04-28', 8, [{ id: 'garden', value: 8 }]),
    ];
    expect(findingsOf(evaluateCourse(course('persistent', [...base, now('0267', '2025-04-28')], scores), '2025-04-28'), 'outcome-change')).toEqual([]);
  });

  it('says unavailable when scores could not be read', () => {
    const ev = evaluateCourse(course('persistent', [...base, now('0267', '2025-04-28')], [], { scoresAvailable: false }), '2025-04-28');
    expect(findingsOf(ev, 'outcome-change')).toMatchObject([{ kind: 'unavailable', severity: 'info' }]);
  });
});
