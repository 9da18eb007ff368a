/**
 * Local Copenhagen date-times for the example Bundles. The offset comes from the course engine's EU summer-time
 * arithmetic rather than from the machine's time zone database, so the generator's output for the example years
 * cannot depend on the host. The tests check the result against Intl independently.
 */
import { copenhagenOffsetMs, daysFromCivil } from '../../src/course/copenhagen-time.js';
import type { LocalDate } from '../../src/course/types.js';

/** 'YYYY-MM-DD HH:MM', local Copenhagen wall-clock time. */
export type LocalDateTime = string;

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;

export class InvalidExampleTimeError extends Error {
  override readonly name = 'InvalidExampleTimeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function parts(at: LocalDateTime): { year: number; month: number; day: number; hour: number; minute: number } {
  const m = LOCAL_DATE_TIME.exec(at);
  if (!m) throw new InvalidExampleTimeError(`not a 'YYYY-MM-DD HH:MM' local time: ${at}`);
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { year, month, day, hour, minute };
}

/**
 * '+02:00' in summer time, else '+01:00'. The switch happens at night (02:00/03:00 local, 01:00 UTC); example times
 * are day-time, and earlier hours are refused so that the ambiguous hour can never be produced. From 04:00 on, the
 * wall-clock time read as standard time (UTC+1) lies on the same side of the switch as the true instant.
 */
export function copenhagenOffset(at: LocalDateTime): '+01:00' | '+02:00' {
  const { year, month, day, hour, minute } = parts(at);
  if (hour < 4) throw new InvalidExampleTimeError(`example times are day-time, got ${at}`);
  const asStandardTime = daysFromCivil(year, month, day) * 86_400_000 + (hour * 60 + minute - 60) * 60_000;
  const offset = copenhagenOffsetMs(asStandardTime);
  if (offset === 7_200_000) return '+02:00';
  if (offset === 3_600_000) return '+01:00';
  throw new InvalidExampleTimeError(`Copenhagen was neither UTC+1 nor UTC+2 at ${at}`);
}

/** '2026-03-10 09:00' -> '2026-03-10T09:00:00+01:00'. */
export function toFhirDateTime(at: LocalDateTime): string {
  const { year, month, day, hour, minute } = parts(at);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00${copenhagenOffset(at)}`;
}

export function localDateOf(at: LocalDateTime): LocalDate {
  return at.slice(0, 10);
}

/** Adds minutes within the same local day (consultations never run past midnight). */
export function addMinutes(at: LocalDateTime, minutes: number): LocalDateTime {
  const { hour, minute } = parts(at);
  const total = hour * 60 + minute + minutes;
  if (total >= 24 * 60) throw new InvalidExampleTimeError(`${at} + ${minutes} min runs past midnight`);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${localDateOf(at)} ${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/** 0 = Sunday ... 6 = Saturday, of a calendar date. */
export function weekday(date: LocalDate): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

/**
 * Danish public holidays in the years the examples cover, when clinics are closed: a consultation on one of them
 * would make the demo look careless. (Easter 2025: 20 April; Easter 2026: 5 April.)
 */
export const DANISH_HOLIDAYS: ReadonlySet<LocalDate> = new Set([
  '2025-01-01', '2025-04-17', '2025-04-18', '2025-04-20', '2025-04-21', '2025-05-29', '2025-06-08', '2025-06-09',
  '2025-06-05', '2025-12-24', '2025-12-25', '2025-12-26', '2025-12-31',
  '2026-01-01', '2026-04-02', '2026-04-03', '2026-04-05', '2026-04-06', '2026-05-14', '2026-05-24', '2026-05-25',
  '2026-06-05', '2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31',
]);

/** True on Monday-Friday that are not public holidays. */
export function isClinicDay(date: LocalDate): boolean {
  const d = weekday(date);
  return d !== 0 && d !== 6 && !DANISH_HOLIDAYS.has(date);
}
