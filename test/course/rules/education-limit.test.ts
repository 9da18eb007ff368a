import { describe, expect, it } from 'vitest';
import { consult, course, findingsOf, now } from '../builders.js';
import { evaluateCourse, parseCourseConfig } from '../../support/engine.js';

describe('education-limit', () => {
  const entry = consult('0110', '2025-02-03');

  it('allows two education consultations in one course, group and individual together', () => {
    const list = [entry, consult('0263', '2025-02-05'), now('0265', '2025-02-10')];
    expect(findingsOf(evaluateCourse(course('recurrent', list), '2025-02-10'), 'education-limit')).toEqual([]);
  });

  it('warns about the third when it is the current consultation', () => {
    const third = now('0263', '2025-02-12');
    const list = [entry, consult('0263', '2025-02-05'), consult('0265', '2025-02-10'), third];
    const [f] = findingsOf(evaluateCourse(course('recurrent', list), '2025-02-12'), 'education-limit');
    expect(f).toMatchObject({ kind: 'over-limit', severity: 'warning', causedByCurrent: true, consultationIds: [third.id] });
    expect(f?.facts).toMatchObject({ ordinal: 3, count: 3, limit: 2 });
  });

  it('only informs about a past third education at a later consultation', () => {
    const list = [entry, ...['2025-02-05', '2025-02-06', '2025-02-07'].map((d) => consult('0265', d)), now('0266', '2025-02-10')];
    const [f] = findingsOf(evaluateCourse(course('persistent', list), '2025-02-10'), 'education-limit');
    expect(f).toMatchObject({ severity: 'info', causedByCurrent: false });
  });

  it('follows a configured limit', () => {
    const config = parseCourseConfig({ education: { maxPerCourse: 3 } });
    const list = [entry, consult('0263', '2025-02-05'), consult('0265', '2025-02-10'), now('0263', '2025-02-12')];
    expect(findingsOf(evaluateCourse(course('recurrent', list), '2025-02-12', config), 'education-limit')).toEqual([]);
  });
});
