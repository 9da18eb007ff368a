import { describe, expect, it } from 'vitest';
import { psfsActivityChanges, scoreNprs, scorePsfs } from '../../src/instruments/index.js';

describe('scorePsfs', () => {
  it('gives the mean of the rated activities to one decimal and keeps each activity', () => {
    const activities = [
      { id: 'psfs-1', label: 'Binde sko', value: 3 },
      { id: 'psfs-2', label: 'Gå tur', value: 5 },
      { id: 'psfs-3', value: 6 },
    ];
    const r = scorePsfs(activities);
    expect(r).toMatchObject({ status: 'scored', mean: 4.7 });
    if (r.status !== 'scored') return;
    expect(r.meanExact).toBeCloseTo(14 / 3, 10);
    expect(r.activities).toEqual(activities);
  });

  it('scores a single activity as its own value', () => {
    expect(scorePsfs([{ id: 'a', value: 0 }])).toMatchObject({ status: 'scored', mean: 0 });
  });

  it('accepts decimal ratings within 0-10', () => {
    expect(scorePsfs([{ id: 'a', value: 6.5 }, { id: 'b', value: 10 }])).toMatchObject({ status: 'scored', mean: 8.3 });
  });

  it('rejects a rating outside 0-10 and names the activity', () => {
    expect(scorePsfs([{ id: 'a', value: 5 }, { id: 'b', value: 11 }])).toMatchObject({ status: 'invalid', activityId: 'b' });
    expect(scorePsfs([{ id: 'a', value: -1 }])).toMatchObject({ status: 'invalid', activityId: 'a' });
    expect(scorePsfs([{ id: 'a', value: Number.NaN }])).toMatchObject({ status: 'invalid', activityId: 'a' });
  });

  it('rejects more than five activities and an activity id used twice', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, value: 5 }));
    expect(scorePsfs(six).status).toBe('invalid');
    expect(scorePsfs([{ id: 'a', value: 1 }, { id: 'a', value: 2 }])).toMatchObject({ status: 'invalid', activityId: 'a' });
  });

  it('gives no score when no activity is rated', () => {
    expect(scorePsfs([]).status).toBe('incomplete');
  });
});

describe('psfsActivityChanges', () => {
  it('matches activities by id and marks a change of three points on one activity as important', () => {
    const changes = psfsActivityChanges(
      [{ id: 'g1', label: 'Binde sko', value: 2 }, { id: 'g2', value: 4 }, { id: 'g3', value: 5 }],
      [{ id: 'g2', value: 6 }, { id: 'g1', value: 5 }, { id: 'g4', value: 9 }],
    );
    expect(changes).toEqual([
      { id: 'g2', baseline: 4, current: 6, change: 2, clinicallyImportant: false },
      { id: 'g1', label: 'Binde sko', baseline: 2, current: 5, change: 3, clinicallyImportant: true },
    ]);
  });
});

describe('scoreNprs', () => {
  it('accepts integers and decimals from 0 to 10 as they are', () => {
    expect(scoreNprs(0)).toEqual({ status: 'scored', value: 0 });
    expect(scoreNprs(3.6)).toEqual({ status: 'scored', value: 3.6 });
    expect(scoreNprs(10)).toEqual({ status: 'scored', value: 10 });
  });

  it('rejects values outside 0-10, non-numbers and NaN without echoing text', () => {
    expect(scoreNprs(10.1).status).toBe('invalid');
    expect(scoreNprs(-0.5).status).toBe('invalid');
    expect(scoreNprs(Number.NaN).status).toBe('invalid');
    expect(scoreNprs(Number.POSITIVE_INFINITY).status).toBe('invalid');
    expect(scoreNprs(undefined).status).toBe('invalid');
    const r = scoreNprs('Jens Jensen says 7');
    expect(r.status).toBe('invalid');
    if (r.status === 'invalid') expect(r.reason).not.toContain('Jens');
  });
});
