import { describe, expect, it } from 'vitest';
import { consult, course, findingsOf, now } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('one-per-day', () => {
  const entry = consult('0110', '2025-02-03');

  it('flags two individual consultations on one local day', () => {
    const a = consult('0266', '2025-02-10');
    const b = now('0269', '2025-02-10');
    const [f] = findingsOf(evaluateCourse(course('recurrent', [entry, a, b]), '2025-02-10'), 'one-per-day');
    expect(f).toMatchObject({ kind: 'same-day', severity: 'warning', consultationIds: [a.id, b.id] });
    expect(f?.facts).toMatchObject({ date: '2025-02-10', codes: ['0266', '0269'], count: 2 });
  });

  it('allows a 0113 with an individual consultation on the same day', () => {
    const list = [entry, consult('0266', '2025-02-10'), now('0113', '2025-02-10')];
    expect(findingsOf(evaluateCourse(course('persistent', list), '2025-02-10'), 'one-per-day')).toEqual([]);
  });

  it('does not allow a 0113 beside a group consultation, nor two 0113', () => {
    const withGroup = [entry, consult('0264', '2025-02-10'), now('0113', '2025-02-10')];
    expect(findingsOf(evaluateCourse(course(undefined, withGroup), '2025-02-10'), 'one-per-day')).toHaveLength(1);
    const twice = [entry, consult('0113', '2025-02-10'), now('0113', '2025-02-10')];
    expect(findingsOf(evaluateCourse(course('persistent', twice), '2025-02-10'), 'one-per-day')).toHaveLength(1);
  });

  it('allows a 0262 with its 0110, and a 0113 beside that entry', () => {
    const list = [consult('0110', '2025-02-03'), consult('0262', '2025-02-03'), now('0113', '2025-02-03')];
    expect(findingsOf(evaluateCourse(course('self-training', list), '2025-02-03'), 'one-per-day')).toEqual([]);
  });

  it('reports a past double day as info only', () => {
    const list = [entry, consult('0266', '2025-02-10'), consult('0265', '2025-02-10'), now('0266', '2025-02-12')];
    const [f] = findingsOf(evaluateCourse(course('persistent', list), '2025-02-12'), 'one-per-day');
    expect(f).toMatchObject({ severity: 'info', causedByCurrent: false });
  });

  it('ignores a cancelled consultation on the same day', () => {
    const list = [entry, consult('0266', '2025-02-10', { status: 'cancelled' }), now('0266', '2025-02-10')];
    expect(findingsOf(evaluateCourse(course('persistent', list), '2025-02-10'), 'one-per-day')).toEqual([]);
  });
});
