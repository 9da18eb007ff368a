import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/course/index.js';
import { consult, course, findingsOf, now, score } from '../builders.js';
import { evaluateCourse } from '../../support/engine.js';

describe('missing-baseline-scores', () => {
  const entryDate = '2025-02-03';

  it('accepts scores recorded 30 days before the entry and on its day', () => {
    const scores = [score('odi', addDays(entryDate, -30), 40), score('psfs', entryDate, 3)];
    expect(findingsOf(evaluateCourse(course('recurrent', [now('0110', entryDate)], scores), entryDate), 'missing-baseline-scores')).toEqual([]);
  });

  it('warns at the entry when a score is 31 days old, naming the missing instrument', () => {
    const scores = [score('odi', addDays(entryDate, -31), 40), score('psfs', entryDate, 3)];
    const entry = now('0110', entryDate);
    const [f] = findingsOf(evaluateCourse(course('recurrent', [entry], scores), entryDate), 'missing-baseline-scores');
    expect(f).toMatchObject({ kind: 'missing', severity: 'warning', causedByCurrent: true, consultationIds: [entry.id] });
    expect(f?.facts).toMatchObject({ missing: ['odi'], required: ['odi', 'psfs'], windowStart: '2025-01-04', lookBackDays: 30 });
  });

  it('does not take a score recorded after the entry as baseline', () => {
    const list = [consult('0110', entryDate), now('0265', '2025-02-05')];
    const scores = [score('odi', '2025-02-04', 40), score('psfs', '2025-02-04', 3)];
    const [f] = findingsOf(evaluateCourse(course('recurrent', list, scores), '2025-02-05'), 'missing-baseline-scores');
    expect(f).toMatchObject({ severity: 'info', causedByCurrent: false });
    expect(f?.facts.missing).toEqual(['odi', 'psfs']);
  });

  it('requires ODI and NPRS in course 1, ODI and PSFS in courses 2 and 3, ODI only when the type is unknown', () => {
    const missing = (type: Parameters<typeof course>[0]) =>
      findingsOf(evaluateCourse(course(type, [now('0110', entryDate)]), entryDate), 'missing-baseline-scores')[0]?.facts.missing;
    expect(missing('self-training')).toEqual(['odi', 'nprs']);
    expect(missing('recurrent')).toEqual(['odi', 'psfs']);
    expect(missing('persistent')).toEqual(['odi', 'psfs']);
    expect(missing(undefined)).toEqual(['odi']);
  });

  it('warns when the current consultation is a 0262 joined to the entry', () => {
    const list = [consult('0110', entryDate), now('0262', entryDate)];
    const [f] = findingsOf(evaluateCourse(course('recurrent', list), entryDate), 'missing-baseline-scores');
    expect(f).toMatchObject({ severity: 'warning', causedByCurrent: true });
  });

  it('says the scores could not be read, never that they are missing, when scores are unavailable', () => {
    const ev = evaluateCourse(course('recurrent', [now('0110', entryDate)], [], { scoresAvailable: false }), entryDate);
    const found = findingsOf(ev, 'missing-baseline-scores');
    expect(found).toMatchObject([{ kind: 'unavailable', severity: 'info' }]);
    expect(ev.findings.some((f) => f.kind === 'missing')).toBe(false);
  });
});
