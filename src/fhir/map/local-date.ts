import type { LocalDate } from '../../course/types.js';

/**
 * FHIR date, dateTime and instant values read as Europe/Copenhagen calendar dates.
 * Written here because `src/course/dates.ts` (toLocalDate) did not exist when the mapper was written; it follows the
 * same contract and can be swapped for it.
 */

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):(\d{2}))?)?)?)?$/;

const copenhagen = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export type ParsedDate =
  | { readonly ok: true; readonly date: LocalDate; readonly instant?: string }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'imprecise' };

/**
 * EU summer time (since 1996 in Denmark): from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
 * Sunday of October. Computed rather than asked of Intl for each value, which is a hundred times slower and
 * mapping a long record formats thousands of instants; other years go to Intl, which knows the older rules.
 */
const summerTime = new Map<number, readonly [number, number]>();

function lastSundayAt1Utc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 86_400_000;
}

function copenhagenDate(ms: number): LocalDate {
  const year = new Date(ms).getUTCFullYear();
  if (year < 1997 || year > 2199) return copenhagen.format(ms);
  let span = summerTime.get(year);
  if (span === undefined) {
    span = [lastSundayAt1Utc(year, 2), lastSundayAt1Utc(year, 9)];
    summerTime.set(year, span);
  }
  const offset = ms >= span[0] && ms < span[1] ? 7_200_000 : 3_600_000;
  return utcDate(ms + offset);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** 'YYYY-MM-DD' of a UTC millisecond count (H. Hinnant's civil_from_days), without allocating a Date. */
function utcDate(ms: number): LocalDate {
  const z = Math.floor(ms / 86_400_000) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
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
  const [, y, mo, d, hh, mi, ss, frac, zone, sign, oh, om] = m;
  if (mo === undefined || d === undefined) return { ok: false, reason: 'imprecise' };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: 'invalid' };
  const date = `${y}-${mo}-${d}`;
  if (hh === undefined) return { ok: true, date };
  const hours = Number(hh);
  const minutes = Number(mi);
  const seconds = ss === undefined ? 0 : Number(ss);
  if (hours > 23 || minutes > 59 || seconds > 59) return { ok: false, reason: 'invalid' };
  if (zone === undefined) return { ok: true, date };
  const offsetHours = oh === undefined ? 0 : Number(oh);
  const offsetMinutes = om === undefined ? 0 : Number(om);
  if (offsetHours > 14 || offsetMinutes > 59) return { ok: false, reason: 'invalid' };
  // Arithmetic rather than Date.parse: parsing is the hot path when a long record is mapped.
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const millis = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const ms =
    daysFromCivil(year, month, day) * 86_400_000 + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis - offset;
  if (!Number.isFinite(ms)) return { ok: false, reason: 'invalid' };
  const instant = `${utcDate(ms)}T${isoTime(ms)}Z`;
  return { ok: true, date: copenhagenDate(ms), instant };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** 'HH:MM:SS.mmm' of a UTC millisecond count. */
function isoTime(ms: number): string {
  const inDay = ((ms % 86_400_000) + 86_400_000) % 86_400_000;
  const h = Math.floor(inDay / 3_600_000);
  const m = Math.floor((inDay % 3_600_000) / 60_000);
  const s = Math.floor((inDay % 60_000) / 1000);
  const milli = inDay % 1000;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(milli).padStart(3, '0')}`;
}

/** An instant (or any FHIR dateTime) as its Europe/Copenhagen calendar date, or undefined. */
export function toLocalDate(instant: unknown): LocalDate | undefined {
  const p = parseFhirDate(instant);
  return p.ok ? p.date : undefined;
}
