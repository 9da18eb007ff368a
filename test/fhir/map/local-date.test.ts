import { describe, expect, it } from 'vitest';
import { parseFhirDate, toLocalDate } from '../../../src/fhir/map/index.js';

describe('FHIR dates as Copenhagen calendar dates', () => {
  it('takes a date without time as it is', () => {
    expect(toLocalDate('2026-02-28')).toBe('2026-02-28');
    expect(toLocalDate('2024-02-29')).toBe('2024-02-29');
  });

  it('converts instants across midnight and both daylight-saving changes', () => {
    expect(toLocalDate('2026-03-28T23:30:00Z')).toBe('2026-03-29'); // CET, +1
    expect(toLocalDate('2026-03-29T21:59:00Z')).toBe('2026-03-29'); // CEST, +2
    expect(toLocalDate('2026-03-29T22:00:00Z')).toBe('2026-03-30');
    expect(toLocalDate('2026-10-24T22:30:00Z')).toBe('2026-10-25');
    expect(toLocalDate('2026-10-25T22:59:00Z')).toBe('2026-10-25');
    expect(toLocalDate('2026-10-25T23:00:00Z')).toBe('2026-10-26');
    expect(toLocalDate('2026-11-02T09:00:00-05:00')).toBe('2026-11-02');
  });

  it('reads a time without offset as local wall-clock time', () => {
    expect(toLocalDate('2026-11-02T23:30:00')).toBe('2026-11-02');
  });

  it('rejects impossible and imprecise dates', () => {
    expect(parseFhirDate('2026-02-29')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseFhirDate('2026-04-31T10:00:00Z')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseFhirDate('2026-11')).toEqual({ ok: false, reason: 'imprecise' });
    expect(parseFhirDate('2026')).toEqual({ ok: false, reason: 'imprecise' });
    expect(parseFhirDate(20261102)).toEqual({ ok: false, reason: 'invalid' });
    expect(parseFhirDate(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(parseFhirDate('2026-11-02T24:00:00Z')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('the arithmetic Copenhagen offset', () => {
  it('agrees with Intl at every 389 minutes from 1940 to 2040, at several offsets', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' });
    const mismatches: string[] = [];
    for (let ms = Date.UTC(1940, 0, 1); ms < Date.UTC(2041, 0, 1); ms += 389 * 60_000) {
      const iso = new Date(ms).toISOString();
      const shifted = `${new Date(ms + 5.75 * 3_600_000).toISOString().slice(0, 19)}+05:45`;
      for (const value of [iso, shifted]) {
        const p = parseFhirDate(value);
        if (!p.ok || p.date !== intl.format(ms) || p.instant !== iso) mismatches.push(value);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
