import { describe, expect, it } from 'vitest';
import { consult, course, findingsOf, now } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('individual-education-exception', () => {
  const list = [consult('0110', '2025-02-03'), now('0265', '2025-02-05')];

  it('reminds to record the reason for a 0265 in a recurrent course, as info', () => {
    const [f] = findingsOf(evaluateCourse(course('recurrent', list), '2025-02-05'), 'individual-education-exception');
    expect(f).toMatchObject({ kind: 'group-preferred', severity: 'info', causedByCurrent: true });
  });

  it('reminds that individual education is the exception in a persistent course', () => {
    const [f] = findingsOf(evaluateCourse(course('persistent', list), '2025-02-05'), 'individual-education-exception');
    expect(f).toMatchObject({ kind: 'exception', severity: 'info' });
  });

  it('never reminds in a self-training course, where 0265 is the standard step, nor when the type is unknown', () => {
    expect(findingsOf(evaluateCourse(course('self-training', list), '2025-02-05'), 'individual-education-exception')).toEqual([]);
    expect(findingsOf(evaluateCourse(course(undefined, list), '2025-02-05'), 'individual-education-exception')).toEqual([]);
  });

  it('does not remind about a past 0265 or about group education', () => {
    const later = [consult('0110', '2025-02-03'), consult('0265', '2025-02-05'), now('0266', '2025-02-07')];
    expect(findingsOf(evaluateCourse(course('recurrent', later), '2025-02-07'), 'individual-education-exception')).toEqual([]);
    const group = [consult('0110', '2025-02-03'), now('0263', '2025-02-05')];
    expect(findingsOf(evaluateCourse(course('recurrent', group), '2025-02-05'), 'individual-education-exception')).toEqual([]);
  });
});
