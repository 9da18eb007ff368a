import { describe, expect, it } from 'vitest';
import { scoreChange } from '../../src/instruments/change.js';
import { SHIPPED_DEFINITIONS } from '../../src/fhir/definitions/shipped.js';

/** The thresholds are the instruments' definitions (their Questionnaires in fhir-resources/). */
const rule = (id: string) => SHIPPED_DEFINITIONS.instruments.get(id)!;

describe('scoreChange', () => {
  it('marks an ODI improvement of exactly 10 points as important and 9 points (under 30 %) as not', () => {
    expect(scoreChange(50, 40, rule('odi'))).toMatchObject({ change: -10, improved: true, clinicallyImportant: true });
    expect(scoreChange(50, 41, rule('odi'))).toMatchObject({ change: -9, improved: true, clinicallyImportant: false });
  });

  it('marks an ODI improvement of exactly 30 % as important even under 10 points', () => {
    expect(scoreChange(20, 14, rule('odi'))).toMatchObject({ percentChange: -30, clinicallyImportant: true });
  });

  it('marks an ODI worsening of 10 points as important and not improved', () => {
    expect(scoreChange(30, 40, rule('odi'))).toMatchObject({ improved: false, clinicallyImportant: true });
  });

  it('marks a PSFS mean rise of 2 points as an important improvement and 1.9 as not', () => {
    expect(scoreChange(4, 6, rule('psfs'))).toMatchObject({ improved: true, clinicallyImportant: true });
    expect(scoreChange(4, 5.9, rule('psfs'))).toMatchObject({ improved: true, clinicallyImportant: false });
  });

  it('ignores percent for PSFS: a 50 % rise of 1 point is not important', () => {
    expect(scoreChange(2, 3, rule('psfs'))).toMatchObject({ percentChange: 50, clinicallyImportant: false });
  });

  it('marks an NPRS fall of 2 points or 30 % as important and less as not', () => {
    expect(scoreChange(8, 6, rule('nprs')).clinicallyImportant).toBe(true);
    expect(scoreChange(3, 2, rule('nprs')).clinicallyImportant).toBe(true);
    expect(scoreChange(8, 7, rule('nprs')).clinicallyImportant).toBe(false);
  });

  it('reports no percent change from a zero baseline and no importance without change', () => {
    expect(scoreChange(0, 3, rule('nprs')).percentChange).toBeNull();
    expect(scoreChange(5, 5, rule('nprs'))).toMatchObject({ change: 0, clinicallyImportant: false });
  });
});
