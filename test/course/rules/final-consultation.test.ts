import { describe, expect, it } from 'vitest';
import { consult, course, findingsOf, now } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('final-consultation', () => {
  const base = [consult('0110', '2025-02-03'), consult('0265', '2025-02-05')];

  it('accepts one 0267 followed by 0268', () => {
    const final = consult('0267', '2025-04-01');
    const list = [...base, final, now('0268', '2025-07-01')];
    expect(findingsOf(evaluateCourse(course('persistent', list), '2025-07-01'), 'final-consultation')).toEqual([]);
  });

  it('warns about a second 0267', () => {
    const first = consult('0267', '2025-04-01');
    const second = now('0267', '2025-04-08');
    const [f] = findingsOf(evaluateCourse(course('persistent', [...base, first, second]), '2025-04-08'), 'final-consultation');
    expect(f).toMatchObject({ kind: 'second-final', severity: 'warning', consultationIds: [first.id, second.id] });
  });

  it('warns about any code other than 0268 after the 0267', () => {
    const final = consult('0267', '2025-04-01');
    const after = now('0266', '2025-04-03');
    const [f] = findingsOf(evaluateCourse(course('persistent', [...base, final, after]), '2025-04-03'), 'final-consultation');
    expect(f).toMatchObject({ kind: 'after-final', severity: 'warning', consultationIds: [final.id, after.id] });
    expect(f?.facts).toMatchObject({ finalDate: '2025-04-01', code: '0266' });
  });

  it('treats a current consultation on the day of the 0267 as after it', () => {
    const list = [...base, consult('0267', '2025-04-01'), now('0113', '2025-04-01')];
    expect(findingsOf(evaluateCourse(course('persistent', list), '2025-04-01'), 'final-consultation').map((f) => f.kind)).toEqual(['after-final']);
  });

  it('orders same-day consultations by their start instants, whatever the offsets', () => {
    const final = consult('0267', '2025-04-01', { start: '2025-04-01T10:00:00+02:00' });
    const before = consult('0113', '2025-04-01', { start: '2025-04-01T07:30:00Z' });
    const list = [...base, final, before, now('0268', '2025-07-01')];
    expect(findingsOf(evaluateCourse(course('persistent', list), '2025-07-01'), 'final-consultation')).toEqual([]);
    const laterStart = consult('0113', '2025-04-01', { start: '2025-04-01T08:30:00Z' });
    const list2 = [...base, final, laterStart, now('0268', '2025-07-01')];
    expect(findingsOf(evaluateCourse(course('persistent', list2), '2025-07-01'), 'final-consultation')).toMatchObject([
      { kind: 'after-final', severity: 'info' },
    ]);
  });
});
