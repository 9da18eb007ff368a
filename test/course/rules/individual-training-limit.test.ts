import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/course/index.js';
import { consult, course, findingsOf, now, series } from '../builders.js';
import { evaluateCourse, parseCourseConfig } from '../../support/engine.js';

describe('individual-training-limit', () => {
  const entryDate = '2025-02-03';
  const entry = consult('0110', entryDate);

  it('allows the 6th 0266 inside three months', () => {
    const list = [entry, ...series('0266', entryDate, [3, 7, 10, 14, 17]), now('0266', addDays(entryDate, 21))];
    expect(findingsOf(evaluateCourse(course('persistent', list), addDays(entryDate, 21)), 'individual-training-limit')).toEqual([]);
  });

  it('flags the seventh 0266 inside three months', () => {
    const seventh = now('0266', addDays(entryDate, 24));
    const list = [entry, ...series('0266', entryDate, [3, 7, 10, 14, 17, 21]), seventh];
    const [f] = findingsOf(evaluateCourse(course('persistent', list), seventh.date), 'individual-training-limit');
    expect(f).toMatchObject({ kind: 'over-limit', severity: 'warning', consultationIds: [seventh.id] });
    expect(f?.facts).toMatchObject({ ordinal: 7, limit: 6, windowEnd: '2025-05-03' });
  });

  it('counts the day the window closes as inside, and the day after as outside', () => {
    const onLast = [entry, now('0266', '2025-05-03')];
    expect(findingsOf(evaluateCourse(course('persistent', onLast), '2025-05-03'), 'individual-training-limit')).toEqual([]);
    const after = [entry, now('0266', '2025-05-04')];
    const [f] = findingsOf(evaluateCourse(course('persistent', after), '2025-05-04'), 'individual-training-limit');
    expect(f).toMatchObject({ kind: 'after-window', severity: 'warning' });
    expect(f?.facts).toMatchObject({ windowStart: entryDate, windowEnd: '2025-05-03' });
  });

  it('clips the window at the end of a shorter month (30 Nov + 3 months = 28 Feb)', () => {
    const e = consult('0110', '2024-11-30');
    expect(findingsOf(evaluateCourse(course('recurrent', [e, now('0266', '2025-02-28')]), '2025-02-28'), 'individual-training-limit')).toEqual([]);
    const [f] = findingsOf(evaluateCourse(course('recurrent', [e, now('0266', '2025-03-01')]), '2025-03-01'), 'individual-training-limit');
    expect(f?.facts).toMatchObject({ windowEnd: '2025-02-28' });
    expect(f?.kind).toBe('after-window');
  });

  it('can anchor the window at the first 0266 instead of the entry', () => {
    const config = parseCourseConfig({ individualTraining: { anchor: 'first' } });
    const list = [entry, consult('0266', '2025-03-01'), now('0266', '2025-05-20')];
    expect(findingsOf(evaluateCourse(course('persistent', list), '2025-05-20', config), 'individual-training-limit')).toEqual([]);
    expect(findingsOf(evaluateCourse(course('persistent', list), '2025-05-20'), 'individual-training-limit')).toHaveLength(1);
  });

  it('does not count cancelled 0266', () => {
    const cancelled = series('0266', entryDate, [3, 4, 5, 6, 7, 8, 9]).map((c) => ({ ...c, status: 'cancelled' as const }));
    const list = [entry, ...cancelled, now('0266', addDays(entryDate, 10))];
    const ev = evaluateCourse(course('persistent', list), addDays(entryDate, 10));
    expect(findingsOf(ev, 'individual-training-limit')).toEqual([]);
    expect(ev.progress.counts['0266']).toBe(1);
  });
});
