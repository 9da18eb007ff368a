import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/course/index.js';
import { consult, course, findingsOf, now, score } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('missing-final-scores', () => {
  const finalDate = '2025-04-28';
  const base = [consult('0110', '2025-02-03'), consult('0265', '2025-02-05')];

  it('accepts ODI and PSFS recorded on the day of the 0267 or up to 14 days before', () => {
    const scores = [score('odi', addDays(finalDate, -14), 20), score('psfs', finalDate, 7)];
    expect(findingsOf(evaluateCourse(course('persistent', [...base, now('0267', finalDate)], scores), finalDate), 'missing-final-scores')).toEqual([]);
  });

  it('warns when a final score is missing or 15 days old', () => {
    const scores = [score('odi', addDays(finalDate, -15), 20)];
    const final = now('0267', finalDate);
    const [f] = findingsOf(evaluateCourse(course('persistent', [...base, final], scores), finalDate), 'missing-final-scores');
    expect(f).toMatchObject({ kind: 'missing', severity: 'warning', causedByCurrent: true, consultationIds: [final.id] });
    expect(f?.facts).toMatchObject({ missing: ['odi', 'psfs'], finalDate, lookBackDays: 14 });
  });

  it('requires ODI and PSFS even in course 1 and when the type is unknown', () => {
    for (const type of ['self-training', undefined] as const) {
      const [f] = findingsOf(evaluateCourse(course(type, [...base, now('0267', finalDate)]), finalDate), 'missing-final-scores');
      expect(f?.facts.missing).toEqual(['odi', 'psfs']);
    }
  });

  it('has nothing to say before there is a 0267', () => {
    expect(findingsOf(evaluateCourse(course('persistent', [...base, now('0266', finalDate)]), finalDate), 'missing-final-scores')).toEqual([]);
  });

  it('says unavailable rather than missing when scores could not be read', () => {
    const ev = evaluateCourse(course('persistent', [...base, now('0267', finalDate)], [], { scoresAvailable: false }), finalDate);
    expect(findingsOf(ev, 'missing-final-scores')).toMatchObject([{ kind: 'unavailable', severity: 'info' }]);
  });
});
