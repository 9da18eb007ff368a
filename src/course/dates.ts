import { daysInMonth, readLocalDate, utcDateOfMs } from './copenhagen-time.js';
import type { LocalDate } from './types.js';

export {
  copenhagenOffsetMs, daysInMonth, localDateOfInstantMs, readLocalDate, type LocalDateReading,
} from './copenhagen-time.js';

/**
 * Calendar-date arithmetic for local dates ('YYYY-MM-DD', Europe/Copenhagen). Pure and clock-free: the engine works
 * on calendar days, never on 24-hour periods, so a DST switch can never move a consultation into another day or
 * week. Arithmetic runs on the Y-M-D numbers through Date.UTC, which has no DST.
 */

const DAY_MS = 86_400_000;
const DASH = 45;
const ZERO = 48;

interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function format(y: number, m: number, d: number): LocalDate {
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** The number written by the ASCII digits date[from..to), or -1 when any is not a digit. */
function digits(date: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = date.charCodeAt(i) - ZERO;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * 'YYYY-MM-DD' read by character codes, not a regular expression: every date of every record passes through here
 * on each evaluation (sanitising, weeks, windows), so a long history makes this the engine's hottest function.
 */
function parse(date: LocalDate): Ymd | undefined {
  if (date.length !== 10 || date.charCodeAt(4) !== DASH || date.charCodeAt(7) !== DASH) return undefined;
  const y = digits(date, 0, 4);
  const mo = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return { y, m: mo, d };
}

function parseOrThrow(date: LocalDate): Ymd {
  const p = parse(date);
  if (!p) throw new RangeError(`Not a local date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return p;
}

function toUtcMs(date: LocalDate): number {
  const { y, m, d } = parseOrThrow(date);
  return Date.UTC(y, m - 1, d);
}

export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && parse(value) !== undefined;
}

/**
 * The Europe/Copenhagen calendar date of an instant, date or dateTime. A plain date passes through; a dateTime
 * without an offset is already local wall time, so its date part is taken as is; anything else (including FHIR
 * partial dates 'YYYY' / 'YYYY-MM', which name no single day, and impossible dates or times) is undefined.
 */
export function toLocalDate(instant: string): LocalDate | undefined {
  if (typeof instant !== 'string') return undefined;
  const reading = readLocalDate(instant);
  return 'date' in reading ? reading.date : undefined;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return utcDateOfMs(toUtcMs(date) + days * DAY_MS);
}

/**
 * The same day `months` calendar months later, clipped to the last day of that month: 30 Nov + 3 months = 28 Feb
 * (29 Feb in a leap year). This is how a window of W months ends (inclusive).
 */
export function addMonthsClipped(date: LocalDate, months: number): LocalDate {
  const { y, m, d } = parseOrThrow(date);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return format(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** ISO weekday: Monday 1 ... Sunday 7. */
export function isoWeekday(date: LocalDate): number {
  return weekdayOfMs(toUtcMs(date));
}

function weekdayOfMs(ms: number): number {
  const wd = new Date(ms).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** The ISO week of a local date, '2025-W07': weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeekKey(date: LocalDate): string {
  const ms = toUtcMs(date);
  const thursday = new Date(ms + (4 - weekdayOfMs(ms)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const dayOfYear = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
  const week = Math.floor((dayOfYear - 1) / 7) + 1;
  return `${year}-W${pad2(week)}`;
}

/** The Monday that starts the ISO week of `date`. */
export function startOfIsoWeek(date: LocalDate): LocalDate {
  return addDays(date, 1 - isoWeekday(date));
}

/** Local dates in 'YYYY-MM-DD' order lexicographically like they order in time. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const isBefore = (a: LocalDate, b: LocalDate): boolean => a < b;
export const isAfter = (a: LocalDate, b: LocalDate): boolean => a > b;
export const isOnOrBefore = (a: LocalDate, b: LocalDate): boolean => a <= b;
export const isOnOrAfter = (a: LocalDate, b: LocalDate): boolean => a >= b;
/** `date` lies in [start, end], both inclusive. */
export const isWithin = (date: LocalDate, start: LocalDate, end: LocalDate): boolean => date >= start && date <= end;
