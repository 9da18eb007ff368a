import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/course/index.js';
import { consult, course, findingsOf, now } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('follow-up-timing', () => {
  const finalDate = '2025-04-01';
  const base = [consult('0110', '2025-02-03'), consult('0265', '2025-02-05'), consult('0267', finalDate)];
  const atFollowUp = (date: string, earlier: string[] = []) =>
    evaluateCourse(course('persistent', [...base, ...earlier.map((d) => consult('0268', d)), now('0268', date)]), date);

  it('accepts 0268 exactly 3 and 9 calendar months after the 0267', () => {
    expect(findingsOf(atFollowUp('2025-07-01'), 'follow-up-timing')).toEqual([]);
    expect(findingsOf(atFollowUp('2026-01-01', ['2025-07-01']), 'follow-up-timing')).toEqual([]);
  });

  it('accepts 28 days off target and flags 29 days off, both early and late', () => {
    expect(findingsOf(atFollowUp(addDays('2025-07-01', 28)), 'follow-up-timing')).toEqual([]);
    expect(findingsOf(atFollowUp(addDays('2025-07-01', -28)), 'follow-up-timing')).toEqual([]);
    const [late] = findingsOf(atFollowUp(addDays('2025-07-01', 29)), 'follow-up-timing');
    expect(late).toMatchObject({ kind: 'late', severity: 'warning' });
    expect(late?.facts).toMatchObject({ targetDate: '2025-07-01', daysOff: 29, toleranceDays: 28, latest: '2025-07-29' });
    const [early] = findingsOf(atFollowUp(addDays('2025-07-01', -29)), 'follow-up-timing');
    expect(early).toMatchObject({ kind: 'early' });
    expect(early?.facts).toMatchObject({ daysOff: -29 });
  });

  it('matches each 0268 to the nearest target not already used', () => {
    // Both near +3 months: the second must take +9 months and is far off it.
    const [f] = findingsOf(atFollowUp('2025-07-10', ['2025-07-01']), 'follow-up-timing');
    expect(f?.facts).toMatchObject({ targetDate: '2026-01-01', targetMonths: 9 });
    // A first 0268 near +9 months takes that target.
    expect(findingsOf(atFollowUp('2025-12-20'), 'follow-up-timing')).toEqual([]);
  });

  it('clips targets to the month end (0267 on 30 Nov: 28 Feb)', () => {
    const b = [consult('0110', '2025-09-01'), consult('0267', '2025-11-30')];
    const ev = evaluateCourse(course('persistent', [...b, now('0268', addDays('2026-02-28', 28))]), addDays('2026-02-28', 28));
    expect(findingsOf(ev, 'follow-up-timing')).toEqual([]);
    expect(ev.progress.facts.followUpTargets).toEqual(['2026-02-28', '2026-08-30']);
  });

  it('flags a third 0268', () => {
    const [f] = findingsOf(atFollowUp('2026-02-01', ['2025-07-01', '2026-01-01']), 'follow-up-timing');
    expect(f).toMatchObject({ kind: 'over-limit', severity: 'warning' });
    expect(f?.facts).toMatchObject({ ordinal: 3, limit: 2 });
  });

  it('flags a 0268 without a 0267', () => {
    const list = [consult('0110', '2025-02-03'), now('0268', '2025-05-01')];
    const [f] = findingsOf(evaluateCourse(course('persistent', list), '2025-05-01'), 'follow-up-timing');
    expect(f).toMatchObject({ kind: 'without-final', severity: 'warning' });
  });
});
