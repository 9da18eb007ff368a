import { describe, expect, it } from 'vitest';
import { consult, course, findingsOf, now, score } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('follow-up-scores', () => {
  const base = [consult('0110', '2025-02-03'), consult('0267', '2025-04-01')];

  it('expects ODI and PSFS at a 0268 and reports a missing one as info', () => {
    const fu = now('0268', '2025-07-01');
    const [f] = findingsOf(evaluateCourse(course('recurrent', [...base, fu], [score('odi', '2025-06-20', 15)]), '2025-07-01'), 'follow-up-scores');
    expect(f).toMatchObject({ kind: 'missing', severity: 'info', causedByCurrent: true, consultationIds: [fu.id] });
    expect(f?.facts).toMatchObject({ missing: ['psfs'], lookBackDays: 14 });
  });

  it('accepts scores from 14 days before the 0268 but not 15', () => {
    const at = (d: string) => findingsOf(evaluateCourse(course('recurrent', [...base, now('0268', '2025-07-01')],
      [score('odi', d, 15), score('psfs', d, 8)]), '2025-07-01'), 'follow-up-scores');
    expect(at('2025-06-17')).toEqual([]);
    expect(at('2025-06-16')).toHaveLength(1);
  });

  it('says unavailable when scores could not be read', () => {
    const ev = evaluateCourse(course('recurrent', [...base, now('0268', '2025-07-01')], [], { scoresAvailable: false }), '2025-07-01');
    expect(findingsOf(ev, 'follow-up-scores')).toMatchObject([{ kind: 'unavailable', severity: 'info' }]);
  });
});
