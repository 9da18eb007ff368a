import { describe, expect, it } from 'vitest';
import { DEFAULT_CHANGE_THRESHOLDS, scoreChange } from '../../src/instruments/index.js';

describe('scoreChange', () => {
  it('marks an ODI improvement of exactly 10 points as important and 9 points (under 30 %) as not', () => {
    expect(scoreChange('odi', 50, 40)).toEqual({ change: -10, percentChange: -20, improved: true, clinicallyImportant: true });
    expect(scoreChange('odi', 50, 41)).toMatchObject({ change: -9, improved: true, clinicallyImportant: false });
  });

  it('marks an ODI improvement of exactly 30 % as important even under 10 points', () => {
    expect(scoreChange('odi', 20, 14)).toEqual({ change: -6, percentChange: -30, improved: true, clinicallyImportant: true });
    expect(scoreChange('odi', 20, 15)).toMatchObject({ percentChange: -25, clinicallyImportant: false });
  });

  it('marks an ODI worsening of 10 points as important and not improved', () => {
    expect(scoreChange('odi', 40, 50)).toMatchObject({ improved: false, clinicallyImportant: true });
  });

  it('marks a PSFS mean rise of 2 points as an important improvement and 1.9 as not', () => {
    expect(scoreChange('psfs', 3, 5)).toMatchObject({ change: 2, improved: true, clinicallyImportant: true });
    expect(scoreChange('psfs', 3, 4.9)).toMatchObject({ change: 1.9, improved: true, clinicallyImportant: false });
  });

  it('ignores percent for PSFS: a 50 % rise of 1 point is not important', () => {
    expect(DEFAULT_CHANGE_THRESHOLDS.psfs.percent).toBeUndefined();
    expect(scoreChange('psfs', 2, 3)).toMatchObject({ percentChange: 50, clinicallyImportant: false });
  });

  it('marks an NPRS fall of 2 points or 30 % as important and less as not', () => {
    expect(scoreChange('nprs', 8, 6)).toMatchObject({ change: -2, improved: true, clinicallyImportant: true });
    expect(scoreChange('nprs', 3, 2.1)).toMatchObject({ change: -0.9, percentChange: -30, clinicallyImportant: true });
    expect(scoreChange('nprs', 8, 6.5)).toMatchObject({ change: -1.5, clinicallyImportant: false });
  });

  it('reports no percent change from a zero baseline and no importance without change', () => {
    expect(scoreChange('nprs', 0, 3)).toMatchObject({ percentChange: null, improved: false, clinicallyImportant: true });
    expect(scoreChange('odi', 30, 30)).toMatchObject({ change: 0, clinicallyImportant: false });
  });
});
