import { readLocalDate, utcDateOfMs } from '../../course/copenhagen-time.js';
import type { LocalDate } from '../../course/types.js';

/**
 * FHIR date, dateTime and instant values read as Europe/Copenhagen calendar dates. The clock arithmetic is the
 * course engine's (`src/course/copenhagen-time.ts`); what is FHIR's here is the grammar and the reasons a value
 * cannot be placed on a day, which the mapper reports as data-quality issues.
 */

export type ParsedDate =
  | { readonly ok: true; readonly date: LocalDate; readonly instant?: string }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'imprecise' };

/** FHIR's offsets are '+hh:mm' only; the ISO basic form '+hhmm' that the shared reader also takes is not FHIR. */
const BASIC_OFFSET = /[+-]\d{4}$/;

/**
 * A FHIR date/dateTime/instant as a local date. A date without time is already a calendar date. A time without an
 * offset (not valid FHIR, but seen) is read as local wall-clock time. Year or year-month alone is imprecise: a
 * consultation or score cannot be placed on a day from it. `instant` is the UTC instant of a value with an offset.
 */
export function parseFhirDate(value: unknown): ParsedDate {
  if (value === undefined || value === null || value === '') return { ok: false, reason: 'missing' };
  if (typeof value !== 'string') return { ok: false, reason: 'invalid' };
  const text = value.trim();
  if (BASIC_OFFSET.test(text)) return { ok: false, reason: 'invalid' };
  const reading = readLocalDate(text);
  switch (reading.kind) {
    case 'invalid':
      return { ok: false, reason: 'invalid' };
    case 'partial':
      return { ok: false, reason: 'imprecise' };
    case 'date':
    case 'wall-clock':
      return { ok: true, date: reading.date };
    case 'instant':
      return { ok: true, date: reading.date, instant: `${utcDateOfMs(reading.ms)}T${isoTime(reading.ms)}Z` };
  }
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** 'HH:MM:SS.mmm' of a UTC millisecond count, without allocating a Date (this is the mapper's hot path). */
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
