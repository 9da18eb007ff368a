import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/course/index.js';
import { consult, course, findingsOf, now } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('group-training-frequency', () => {
  const entry = consult('0110', '2025-03-03');

  it('flags two 0264 in one ISO week', () => {
    const first = consult('0264', '2025-03-17');
    const second = now('0264', '2025-03-20');
    const [f] = findingsOf(evaluateCourse(course('recurrent', [entry, first, second]), '2025-03-20'), 'group-training-frequency');
    expect(f).toMatchObject({ kind: 'same-week', severity: 'warning', consultationIds: [first.id, second.id] });
    expect(f?.facts).toMatchObject({ week: '2025-W12', weekStart: '2025-03-17' });
  });

  it('allows Sunday and Monday across the spring DST switch (Sun 2025-03-30 / Mon 2025-03-31)', () => {
    const list = [entry, consult('0264', '2025-03-30'), now('0264', '2025-03-31')];
    expect(findingsOf(evaluateCourse(course('recurrent', list), '2025-03-31'), 'group-training-frequency')).toEqual([]);
  });

  it('allows Sunday and Monday across the autumn DST switch (Sun 2025-10-26 / Mon 2025-10-27)', () => {
    const e = consult('0110', '2025-10-01');
    const list = [e, consult('0264', '2025-10-26'), now('0264', '2025-10-27')];
    expect(findingsOf(evaluateCourse(course('recurrent', list), '2025-10-27'), 'group-training-frequency')).toEqual([]);
  });

  it('flags Monday and Sunday of the same week across the DST switch', () => {
    const list = [entry, consult('0264', '2025-03-24'), now('0264', '2025-03-30')];
    const [f] = findingsOf(evaluateCourse(course('recurrent', list), '2025-03-30'), 'group-training-frequency');
    expect(f?.kind).toBe('same-week');
  });

  it('flags the seventh 0264 even in separate weeks', () => {
    const weekly = [0, 7, 14, 21, 28, 35].map((d) => consult('0264', addDays('2025-03-10', d)));
    const seventh = now('0264', addDays('2025-03-10', 42));
    const [f] = findingsOf(evaluateCourse(course('recurrent', [entry, ...weekly, seventh]), seventh.date), 'group-training-frequency');
    expect(f).toMatchObject({ kind: 'over-limit', severity: 'warning' });
    expect(f?.facts).toMatchObject({ ordinal: 7, limit: 6 });
    const sixth = findingsOf(evaluateCourse(course('recurrent', [entry, ...weekly]), weekly[5]?.date ?? ''), 'group-training-frequency');
    expect(sixth).toEqual([]);
  });
});
