import { describe, expect, it } from 'vitest';
import {
  addDays, addMonthsClipped, compareDates, daysBetween, isLocalDate, isoWeekKey, startOfIsoWeek, toLocalDate,
} from '../../src/course/index.js';

describe('toLocalDate', () => {
  it('passes a plain date through', () => {
    expect(toLocalDate('2025-03-30')).toBe('2025-03-30');
  });
  it('rejects impossible dates, partial dates and garbage', () => {
    for (const bad of ['2025-02-30', '2025', '2025-03', 'yesterday', '', '2025-13-01', '2025-03-30T25:00:00Z']) {
      expect(toLocalDate(bad)).toBeUndefined();
    }
  });
  it('moves 23:30Z in winter to the next local day (UTC+1)', () => {
    expect(toLocalDate('2025-01-14T23:30:00Z')).toBe('2025-01-15');
    expect(toLocalDate('2025-01-14T22:59:59Z')).toBe('2025-01-14');
  });
  it('moves 22:30Z in summer to the next local day (UTC+2)', () => {
    expect(toLocalDate('2025-06-14T22:30:00Z')).toBe('2025-06-15');
    expect(toLocalDate('2025-06-14T21:59:00Z')).toBe('2025-06-14');
  });
  it('follows the spring DST switch on 30 March 2025', () => {
    // 01:00Z is 03:00 CEST, just after the switch; 22:30Z that evening is already 31 March local time.
    expect(toLocalDate('2025-03-30T00:30:00Z')).toBe('2025-03-30');
    expect(toLocalDate('2025-03-30T01:00:00Z')).toBe('2025-03-30');
    expect(toLocalDate('2025-03-30T21:59:00Z')).toBe('2025-03-30');
    expect(toLocalDate('2025-03-30T22:00:00Z')).toBe('2025-03-31');
    expect(toLocalDate('2025-03-29T23:30:00Z')).toBe('2025-03-30');
  });
  it('follows the autumn DST switch on 26 October 2025', () => {
    expect(toLocalDate('2025-10-25T21:59:00Z')).toBe('2025-10-25');
    expect(toLocalDate('2025-10-25T22:00:00Z')).toBe('2025-10-26');
    expect(toLocalDate('2025-10-26T22:59:00Z')).toBe('2025-10-26');
    expect(toLocalDate('2025-10-26T23:00:00Z')).toBe('2025-10-27');
  });
  it('reads offsets and takes a dateTime without offset as local wall time', () => {
    expect(toLocalDate('2025-03-30T23:30:00+00:00')).toBe('2025-03-31');
    expect(toLocalDate('2025-03-30T08:00:00-10:00')).toBe('2025-03-30');
    expect(toLocalDate('2025-03-30T23:30:00')).toBe('2025-03-30');
    expect(toLocalDate('2025-03-30T23:30:00.123Z')).toBe('2025-03-31');
  });
});

describe('calendar arithmetic', () => {
  it('adds days across DST switches as calendar days', () => {
    expect(addDays('2025-03-29', 1)).toBe('2025-03-30');
    expect(addDays('2025-03-30', 1)).toBe('2025-03-31');
    expect(addDays('2025-10-26', 1)).toBe('2025-10-27');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(daysBetween('2025-03-01', '2025-04-01')).toBe(31);
    expect(daysBetween('2025-10-01', '2025-11-01')).toBe(31);
    expect(daysBetween('2025-04-01', '2025-03-01')).toBe(-31);
  });
  it('clips month arithmetic to the end of the month', () => {
    expect(addMonthsClipped('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonthsClipped('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonthsClipped('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonthsClipped('2025-03-15', 3)).toBe('2025-06-15');
    expect(addMonthsClipped('2025-10-31', 9)).toBe('2026-07-31');
    expect(addMonthsClipped('2025-05-31', -3)).toBe('2025-02-28');
  });
  it('names ISO weeks, including weeks that straddle a year', () => {
    expect(isoWeekKey('2025-02-14')).toBe('2025-W07');
    expect(isoWeekKey('2024-12-30')).toBe('2025-W01');
    expect(isoWeekKey('2021-01-03')).toBe('2020-W53');
    expect(isoWeekKey('2025-03-30')).toBe('2025-W13');
    expect(isoWeekKey('2025-03-31')).toBe('2025-W14');
    expect(isoWeekKey('2025-10-26')).toBe('2025-W43');
    expect(isoWeekKey('2025-10-27')).toBe('2025-W44');
    expect(startOfIsoWeek('2025-03-30')).toBe('2025-03-24');
  });
  it('compares and validates local dates', () => {
    expect(compareDates('2025-01-02', '2025-01-10')).toBe(-1);
    expect(compareDates('2025-01-10', '2025-01-10')).toBe(0);
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2025-02-29')).toBe(false);
  });
});
