import { describe, expect, it } from 'vitest';
import {
  addDays, addMonthsClipped, compareDates, copenhagenOffsetMs, daysBetween, isLocalDate, isoWeekKey,
  localDateOfInstantMs, readLocalDate, startOfIsoWeek, toLocalDate,
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
    expect(toLocalDate('2025-03-30T23:30:00+0000')).toBe('2025-03-31');
  });
  it('rejects times no clock shows, with or without an offset', () => {
    for (const bad of ['2025-03-30T24:00:00Z', '2025-03-30T25:00', '2025-03-30T10:60', '2025-03-30T10:00:60',
      '2025-03-30T10:00:00+15:00', '2025-03-30T10:00:00+01:60', '2025-13', '2025-03-30T10']) {
      expect(toLocalDate(bad), bad).toBeUndefined();
    }
  });
});

describe('readLocalDate', () => {
  it('tells dates, wall-clock times, instants and partial dates apart', () => {
    expect(readLocalDate('2025-03-30')).toEqual({ kind: 'date', date: '2025-03-30' });
    expect(readLocalDate('2025-03-30T23:30')).toEqual({ kind: 'wall-clock', date: '2025-03-30' });
    expect(readLocalDate('2025-03-30T23:30:00.1239Z')).toEqual({
      kind: 'instant', date: '2025-03-31', ms: Date.UTC(2025, 2, 30, 23, 30, 0, 123),
    });
    expect(readLocalDate('2025-03')).toEqual({ kind: 'partial' });
    expect(readLocalDate('2025')).toEqual({ kind: 'partial' });
    expect(readLocalDate('2025-02-29')).toEqual({ kind: 'invalid' });
  });
});

describe('the Copenhagen clock', () => {
  const intlDate = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit',
  });
  const intlOffset = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Copenhagen', timeZoneName: 'longOffset' });
  const offsetOf = (ms: number): string =>
    intlOffset.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
  /** 'GMT+01:00', or 'GMT+00:53:28' for an offset with seconds, as Intl's longOffset writes it. */
  const asLongOffset = (ms: number): string => {
    const seconds = ms / 1000;
    const pad = (n: number): string => String(n).padStart(2, '0');
    const hm = `GMT+${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}`;
    return seconds % 60 === 0 ? hm : `${hm}:${pad(seconds % 60)}`;
  };

  it('agrees with Intl on the date of every hour from 1990 to 2040, and of the millisecond before it', () => {
    const mismatches: string[] = [];
    for (let hour = Date.UTC(1990, 0, 1); hour < Date.UTC(2041, 0, 1); hour += 3_600_000) {
      for (const ms of [hour, hour - 1]) {
        if (localDateOfInstantMs(ms) !== intlDate.format(ms)) mismatches.push(new Date(ms).toISOString());
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with Intl on the offset at noon every day and around every switch from 1990 to 2040', () => {
    const mismatches: string[] = [];
    const check = (ms: number): void => {
      if (asLongOffset(copenhagenOffsetMs(ms)) !== offsetOf(ms)) mismatches.push(new Date(ms).toISOString());
    };
    for (let day = Date.UTC(1990, 0, 1, 12); day < Date.UTC(2041, 0, 1); day += 86_400_000) check(day);
    for (let year = 1990; year <= 2040; year++) {
      for (const month of [2, 9]) {
        // Every hour of the last week of March and October, where the switch falls (01:00 UTC, a Sunday), and the
        // millisecond before it.
        for (let ms = Date.UTC(year, month, 24); ms < Date.UTC(year, month + 1, 1); ms += 3_600_000) {
          check(ms);
          check(ms - 1);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('switches at 01:00 UTC on the last Sundays of March and October', () => {
    expect(copenhagenOffsetMs(Date.UTC(2025, 2, 30, 1) - 1)).toBe(3_600_000);
    expect(copenhagenOffsetMs(Date.UTC(2025, 2, 30, 1))).toBe(7_200_000);
    expect(copenhagenOffsetMs(Date.UTC(2025, 9, 26, 1) - 1)).toBe(7_200_000);
    expect(copenhagenOffsetMs(Date.UTC(2025, 9, 26, 1))).toBe(3_600_000);
  });

  it('follows Intl outside the years the EU rule is computed for', () => {
    for (const ms of [Date.UTC(1880, 0, 1, 23, 10), Date.UTC(1945, 6, 1, 22, 30), Date.UTC(2250, 6, 1, 22, 30)]) {
      expect(asLongOffset(copenhagenOffsetMs(ms))).toBe(offsetOf(ms));
      expect(localDateOfInstantMs(ms)).toBe(intlDate.format(ms));
    }
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
