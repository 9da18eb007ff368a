import { describe, expect, it } from 'vitest';
import { pairPsfsActivities, psfsActivityIdentity } from '../../src/instruments/index.js';
import { allScores, consult, course, now, score } from '../course/builders.js';
import { evaluateCourse } from '../support/engine.js';

const a = (id: string, label: string | undefined, value: number) => ({ id, ...(label !== undefined ? { label } : {}), value });

describe('PSFS activities are paired by identity, never by position', () => {
  it('normalises the text (case, spacing, trailing punctuation) and falls back to the item id without text', () => {
    expect(psfsActivityIdentity(a('psfs-1', '  Gå  TUR. ', 3))).toBe(psfsActivityIdentity(a('psfs-4', 'gå tur', 5)));
    expect(psfsActivityIdentity(a('psfs-1', undefined, 3))).toBe('id:psfs-1');
  });

  it('compares an activity re-rated in another slot with itself', () => {
    const { shared, added } = pairPsfsActivities(
      [a('psfs-1', 'Løfte barnebarn', 2), a('psfs-2', 'Gå tur', 6)],
      [a('psfs-1', 'Gå tur', 6), a('psfs-2', 'løfte barnebarn', 2)],
    );
    expect(shared.map((s) => [s.label, s.change])).toEqual([['Gå tur', 0], ['løfte barnebarn', 0]]);
    expect(added).toEqual([]);
  });

  it('shows a replaced activity as new and never gives it the dropped one\'s baseline', () => {
    const { shared, added } = pairPsfsActivities(
      [a('psfs-1', 'Løfte barnebarn', 2), a('psfs-2', 'Gå tur', 6)],
      [a('psfs-1', 'Cykle', 9), a('psfs-2', 'Gå tur', 7)],
    );
    expect(shared).toEqual([{ id: 'psfs-2', label: 'Gå tur', baseline: 6, current: 7, change: 1, clinicallyImportant: false }]);
    expect(added).toEqual([{ id: 'psfs-1', label: 'Cykle', current: 9 }]);
  });

  it('calls an unchanged patient whose form was re-ordered unchanged at the final consultation', () => {
    const base = score('psfs', '2026-01-30', 4, [a('psfs-1', 'Løfte', 2), a('psfs-2', 'Gå tur', 6)]);
    const reordered = score('psfs', '2026-04-01', 4, [a('psfs-1', 'Gå tur', 6), a('psfs-2', 'Løfte', 2)]);
    const history = course('recurrent', [consult('0110', '2026-02-02'), now('0267', '2026-04-01')], [
      ...allScores('2026-01-30').filter((s) => s.instrument !== 'psfs'), base, reordered,
    ]);
    const change = evaluateCourse(history, '2026-04-01').outcome.changes.find((c) => c.instrument === 'psfs');
    expect(change).toMatchObject({ change: 0, clinicallyImportant: false, basis: 'shared-activities' });
    expect(change?.activities?.every((x) => x.change === 0)).toBe(true);
  });

  it('takes the mean change over the shared activities only, listing the new one apart', () => {
    const base = score('psfs', '2026-01-30', 3, [a('psfs-1', 'Løfte', 2), a('psfs-2', 'Gå tur', 4)]);
    const later = score('psfs', '2026-04-01', 7, [a('psfs-1', 'Cykle', 10), a('psfs-2', 'Gå tur', 4)]);
    const history = course('recurrent', [consult('0110', '2026-02-02'), now('0267', '2026-04-01')], [base, later]);
    const change = evaluateCourse(history, '2026-04-01').outcome.changes.find((c) => c.instrument === 'psfs');
    expect(change).toMatchObject({ baselineValue: 4, currentValue: 4, change: 0, clinicallyImportant: false });
    expect(change?.newActivities).toEqual([{ id: 'psfs-1', label: 'Cykle', current: 10 }]);
  });
});
