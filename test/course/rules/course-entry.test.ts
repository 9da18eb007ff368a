import { describe, expect, it } from 'vitest';
import { consult, course, findingsOf, now } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('course-entry', () => {
  it('accepts a 0110 alone, a 0261 alone, and a 0110 with a same-day 0262 as one entry', () => {
    for (const list of [
      [now('0110', '2025-02-03')],
      [now('0261', '2025-02-03')],
      [consult('0110', '2025-02-03'), now('0262', '2025-02-03')],
    ]) {
      const ev = evaluateCourse(course('recurrent', list), '2025-02-03');
      expect(findingsOf(ev, 'course-entry')).toEqual([]);
      expect(ev.progress.entryDate).toBe('2025-02-03');
    }
  });

  it('warns about a current 0262 without a 0110 on the same day', () => {
    const c110 = consult('0110', '2025-02-03');
    const c262 = now('0262', '2025-02-04');
    const [f] = findingsOf(evaluateCourse(course('recurrent', [c110, c262]), '2025-02-04'), 'course-entry');
    expect(f).toMatchObject({ kind: 'orphan-companion', severity: 'warning', causedByCurrent: true, consultationIds: [c262.id] });
  });

  it('only informs about a past orphan 0262 when a later consultation is current', () => {
    const list = [consult('0262', '2025-02-03'), consult('0110', '2025-02-04'), now('0265', '2025-02-06')];
    const found = findingsOf(evaluateCourse(course('recurrent', list), '2025-02-06'), 'course-entry');
    expect(found.map((f) => [f.kind, f.severity])).toEqual([['orphan-companion', 'info']]);
  });

  it('flags a second 0110 in one course, naming both entries', () => {
    const first = consult('0110', '2025-02-03');
    const second = now('0110', '2025-03-03');
    const [f] = findingsOf(evaluateCourse(course('recurrent', [first, second]), '2025-03-03'), 'course-entry');
    expect(f).toMatchObject({ kind: 'second-entry', severity: 'warning', consultationIds: [first.id, second.id] });
    expect(f?.facts).toMatchObject({ entryDate: '2025-02-03', date: '2025-03-03' });
  });

  it('flags a 0261 in a course that already has a 0110, even on the same day', () => {
    const list = [consult('0110', '2025-02-03'), now('0261', '2025-02-03')];
    const found = findingsOf(evaluateCourse(course('recurrent', list), '2025-02-03'), 'course-entry');
    expect(found.map((f) => f.kind)).toEqual(['second-entry']);
  });

  it('flags a consultation held before the entry', () => {
    const early = consult('0266', '2025-02-01');
    const list = [early, consult('0110', '2025-02-03'), now('0265', '2025-02-05')];
    const [f] = findingsOf(evaluateCourse(course('persistent', list), '2025-02-05'), 'course-entry');
    expect(f).toMatchObject({ kind: 'before-entry', severity: 'info', causedByCurrent: false, consultationIds: [early.id] });
  });

  it('warns when the current consultation belongs to a course without any entry', () => {
    const list = [consult('0266', '2025-02-01'), now('0266', '2025-02-05')];
    const [f] = findingsOf(evaluateCourse(course('persistent', list), '2025-02-05'), 'course-entry');
    expect(f).toMatchObject({ kind: 'no-entry', severity: 'warning', causedByCurrent: true });
  });

  it('ignores cancelled and entered-in-error entries', () => {
    const list = [
      consult('0110', '2025-02-01', { status: 'cancelled' }),
      consult('0110', '2025-02-02', { status: 'entered-in-error' }),
      now('0110', '2025-02-03'),
    ];
    const ev = evaluateCourse(course('recurrent', list), '2025-02-03');
    expect(findingsOf(ev, 'course-entry')).toEqual([]);
    expect(ev.progress.counts['0110']).toBe(1);
  });
});
