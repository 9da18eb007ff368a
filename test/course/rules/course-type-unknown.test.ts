import { describe, expect, it } from 'vitest';
import { consult, course, findingsOf, now } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('course-type-unknown', () => {
  it('says the type is unknown, as info', () => {
    const ev = evaluateCourse(course(undefined, [now('0110', '2025-02-03')]), '2025-02-03');
    expect(findingsOf(ev, 'course-type-unknown')).toMatchObject([{ kind: 'unknown', severity: 'info', causedByCurrent: false }]);
    expect(ev.type).toBeUndefined();
  });

  it('is silent when the type is known', () => {
    const ev = evaluateCourse(course('recurrent', [now('0110', '2025-02-03')]), '2025-02-03');
    expect(findingsOf(ev, 'course-type-unknown')).toEqual([]);
  });

  it('recommends from the common steps only: entry, education, 0267, 0268', () => {
    const rec = (list: Parameters<typeof course>[1], ref: string) =>
      evaluateCourse(course(undefined, list), ref).recommendations.map((r) => r.code);
    expect(rec([], '2025-02-01')).toEqual([]); // no course at all
    expect(evaluateCourse(course(undefined, [], [], { hasEpisode: true }), '2025-02-01').recommendations[0]?.code).toBe('0110');
    expect(rec([now('0110', '2025-02-03')], '2025-02-03')).toEqual(['0265']);
    expect(rec([consult('0110', '2025-02-03'), now('0265', '2025-02-05')], '2025-02-05')).toEqual(['0265', '0267']);
    expect(rec([consult('0110', '2025-02-03'), consult('0265', '2025-02-05'), now('0263', '2025-02-07')], '2025-02-07')).toEqual(['0267']);
    expect(rec([consult('0110', '2025-02-03'), consult('0265', '2025-02-05'), now('0266', '2025-02-07')], '2025-02-07')).toEqual(['0267']);
    expect(rec([consult('0110', '2025-02-03'), now('0267', '2025-04-07')], '2025-04-07')).toEqual(['0268']);
    const all = [consult('0110', '2025-02-03'), consult('0265', '2025-02-05'), now('0113', '2025-02-07')];
    for (const code of rec(all, '2025-02-07')) expect(['0110', '0261', '0262', '0263', '0265', '0267', '0268']).toContain(code);
  });
});
