import { describe, expect, it } from 'vitest';
import { allScores, consult, course, findingsOf, now, score } from './builders.js';
import { evaluateCourse } from '../support/engine.js';

/** course-model.md was tightened: each correction of issue 8, point 6, as the engine answers it. */
describe('the tightened course model', () => {
  it('recommends a step by its preferred code: course 2 education is 0263 even after a 0265, 0265 the alternative', () => {
    const ev = evaluateCourse(course('recurrent', [consult('0110', '2026-02-02'), now('0265', '2026-02-04')]), '2026-02-04');
    expect(ev.recommendations[0]).toMatchObject({ code: '0263', reason: 'repeat-step', facts: { alternatives: ['0265'] } });
    expect(ev.recommendations.map((r) => r.code)).not.toContain('0265');
  });

  it('recommends the entry (0110, 0261 the alternative) when the course has no valid entry', () => {
    const orphan = evaluateCourse(course('recurrent', [consult('0262', '2026-02-02'), now('0266', '2026-02-04')]), '2026-02-04');
    expect(findingsOf(orphan, 'course-entry').map((f) => f.kind)).toContain('orphan-companion');
    expect(orphan.recommendations[0]).toMatchObject({ code: '0110', reason: 'entry', facts: { alternatives: ['0261'] } });
    expect(orphan.recommendations.every((r) => r.reason === 'entry')).toBe(true);
    const none = evaluateCourse(course('self-training', [now('0266', '2026-02-04')]), '2026-02-04');
    expect(none.recommendations.map((r) => r.code)).toEqual(['0110', '0261']);
  });

  it('reminds of the individual-education exception only at the current 0265', () => {
    const past = [consult('0110', '2026-02-02'), consult('0265', '2026-02-04')];
    expect(findingsOf(evaluateCourse(course('recurrent', [...past, now('0266', '2026-02-09')]), '2026-02-09'), 'individual-education-exception')).toEqual([]);
    expect(findingsOf(evaluateCourse(course('recurrent', [past[0]!, now('0265', '2026-02-04')]), '2026-02-04'), 'individual-education-exception')).toHaveLength(1);
  });

  it('states the outcome change only when the current consultation is the 0267 or 0268', () => {
    const scores = [...allScores('2026-01-30', 40, 4, 6), score('odi', '2026-04-01', 20)];
    const held = [consult('0110', '2026-02-02'), consult('0267', '2026-04-01')];
    expect(findingsOf(evaluateCourse(course('persistent', [...held.slice(0, 1), now('0267', '2026-04-01')], scores), '2026-04-01'), 'outcome-change')).toHaveLength(1);
    expect(findingsOf(evaluateCourse(course('persistent', [...held, now('0266', '2026-04-02')], scores), '2026-04-02'), 'outcome-change')).toEqual([]);
    expect(findingsOf(evaluateCourse(course('persistent', held, scores), '2026-04-05'), 'outcome-change')).toEqual([]);
  });
});
