import type { LocalDate } from '../../course/types.js';

/**
 * FHIR date, dateTime and instant values read as Europe/Copenhagen calendar dates.
 * Written here because `src/course/dates.ts` (toLocalDate) did not exist when the mapper was written; it follows the
 * same contract and can be swapped for it.
 */

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const copenhagen = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export type ParsedDate =
  | { readonly ok: true; readonly date: LocalDate; readonly instant?: string }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'imprecise' };

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A FHIR date/dateTime/instant as a local date. A date without time is already a calendar date. A time without an
 * offset (not valid FHIR, but seen) is read as local wall-clock time. Year or year-month alone is imprecise: a
 * consultation or score cannot be placed on a day from it.
 */
export function parseFhirDate(value: unknown): ParsedDate {
  if (value === undefined || value === null || value === '') return { ok: false, reason: 'missing' };
  if (typeof value !== 'string') return { ok: false, reason: 'invalid' };
  const m = DATE_TIME.exec(value.trim());
  if (!m) return { ok: false, reason: 'invalid' };
  const [, y, mo, d, hh, mi, ss, zone] = m;
  if (mo === undefined || d === undefined) return { ok: false, reason: 'imprecise' };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: 'invalid' };
  const date = `${y}-${mo}-${d}`;
  if (hh === undefined) return { ok: true, date };
  if (Number(hh) > 23 || Number(mi) > 59 || (ss !== undefined && Number(ss) > 59)) {
    return { ok: false, reason: 'invalid' };
  }
  if (zone === undefined) return { ok: true, date };
  const ms = Date.parse(value.trim());
  if (!Number.isFinite(ms)) return { ok: false, reason: 'invalid' };
  const instant = new Date(ms).toISOString();
  return { ok: true, date: copenhagen.format(ms), instant };
}

/** An instant (or any FHIR dateTime) as its Europe/Copenhagen calendar date, or undefined. */
export function toLocalDate(instant: unknown): LocalDate | undefined {
  const p = parseFhirDate(instant);
  return p.ok ? p.date : undefined;
}
