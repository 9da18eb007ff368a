import type { LocalDate } from './types.js';

/**
 * Instants as Europe/Copenhagen calendar dates: the one place that knows the Danish clock. Written as arithmetic
 * because asking Intl for each value is a hundred times slower, and mapping a long record reads thousands of
 * instants. The EU summer-time rule is computed for 1997-2199; other instants go to Intl, whose time zone
 * database knows the older rules and can learn whatever the EU decides later.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in a month (1-12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** 'YYYY-MM-DD' of a UTC millisecond count (H. Hinnant's civil_from_days), without allocating a Date. */
export function utcDateOfMs(ms: number): LocalDate {
  const z = Math.floor(ms / DAY_MS) + 719_468;
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

/** The years the EU rule is computed for; the bounds are UTC instants, which is all the range check needs. */
const RULE_FROM = Date.UTC(1997, 0, 1);
const RULE_UNTIL = Date.UTC(2200, 0, 1);
const MEAN_YEAR_MS = 365.2425 * DAY_MS;

/** EU summer time: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. */
const summerTime = new Map<number, readonly [number, number]>();

function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = daysFromCivil(year, month, daysInMonth(year, month));
  const weekday = (((lastDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return (lastDay - weekday) * DAY_MS + HOUR_MS;
}

function summerTimeSpan(year: number): readonly [number, number] {
  let span = summerTime.get(year);
  if (span === undefined) {
    span = [lastSundayAt1Utc(year, 3), lastSundayAt1Utc(year, 10)];
    summerTime.set(year, span);
  }
  return span;
}

// Built once: constructing Intl formatters is far more expensive than using them.
const copenhagenWallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Copenhagen',
  era: 'short',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

/** The offset Intl gives: the Copenhagen wall clock read as if it were UTC, minus the instant (whole seconds). */
function intlOffsetMs(ms: number): number {
  const second = Math.floor(ms / 1000) * 1000;
  const f: Record<string, number> = {};
  let bc = false;
  for (const part of copenhagenWallClock.formatToParts(second)) {
    if (part.type === 'era') bc = part.value === 'BC';
    else if (part.type !== 'literal') f[part.type] = Number(part.value);
  }
  const year = bc ? 1 - (f.year ?? 0) : (f.year ?? 0);
  const wall =
    daysFromCivil(year, f.month ?? 0, f.day ?? 0) * DAY_MS +
    (((f.hour ?? 0) * 60 + (f.minute ?? 0)) * 60 + (f.second ?? 0)) * 1000;
  return wall - second;
}

/** Milliseconds Copenhagen wall-clock time is ahead of UTC at an instant: one hour in winter, two in summer. */
export function copenhagenOffsetMs(ms: number): number {
  if (!(ms >= RULE_FROM && ms < RULE_UNTIL)) return intlOffsetMs(ms);
  // An estimate of the UTC year is enough: it is off by a day or two at most, around New Year, far from any span.
  const span = summerTimeSpan(1970 + Math.floor(ms / MEAN_YEAR_MS));
  return ms >= span[0] && ms < span[1] ? 2 * HOUR_MS : HOUR_MS;
}

/** The Europe/Copenhagen calendar date of an instant given in milliseconds since 1970-01-01T00:00:00Z. */
export function localDateOfInstantMs(ms: number): LocalDate {
  return utcDateOfMs(ms + copenhagenOffsetMs(ms));
}

/** How a date or date-time string reads as a Copenhagen calendar date. */
export type LocalDateReading =
  /** 'YYYY-MM-DD': already a calendar date. */
  | { readonly kind: 'date'; readonly date: LocalDate }
  /** A date-time without offset: already local wall-clock time, so its date part is the date. */
  | { readonly kind: 'wall-clock'; readonly date: LocalDate }
  /** A date-time with 'Z' or an offset: an instant (`ms` since 1970 UTC) and its Copenhagen date. */
  | { readonly kind: 'instant'; readonly date: LocalDate; readonly ms: number }
  /** 'YYYY' or 'YYYY-MM': names no single day. */
  | { readonly kind: 'partial' }
  | { readonly kind: 'invalid' };

/** A date, or a date-time to the minute with optional seconds, fraction and offset ('Z', '+01:00' or '+0100'). */
const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?)?)?$/;

const INVALID = { kind: 'invalid' } as const;

/**
 * Reads an ISO 8601 date or date-time (the forms FHIR date, dateTime and instant take) as a Copenhagen calendar
 * date. Arithmetic rather than Date.parse, which is slower and accepts 24:00 and other values no record means.
 */
export function readLocalDate(value: string): LocalDateReading {
  const m = DATE_TIME.exec(value);
  if (!m) return INVALID;
  const [, y, mo, d, hh, mi, ss, frac, zone, sign, oh, om] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  if (month < 1 || month > 12) return INVALID;
  if (d === undefined) return { kind: 'partial' };
  const day = Number(d);
  if (day < 1 || day > daysInMonth(year, month)) return INVALID;
  const date = `${y}-${mo}-${d}`;
  if (hh === undefined) return { kind: 'date', date };
  const hours = Number(hh);
  const minutes = Number(mi);
  const seconds = ss === undefined ? 0 : Number(ss);
  if (hours > 23 || minutes > 59 || seconds > 59) return INVALID;
  if (zone === undefined) return { kind: 'wall-clock', date };
  const offsetHours = oh === undefined ? 0 : Number(oh);
  const offsetMinutes = om === undefined ? 0 : Number(om);
  if (offsetHours > 14 || offsetMinutes > 59) return INVALID;
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  // Truncated to the millisecond, as Date.parse does; read from the digits to keep floating point out of it.
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const ms = daysFromCivil(year, month, day) * DAY_MS + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis - offset;
  return { kind: 'instant', date: localDateOfInstantMs(ms), ms };
}
