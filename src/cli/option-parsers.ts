import { InvalidArgumentError } from 'commander';
import type { ConsultationCode, Definitions } from '../course/index.js';

/**
 * Parsers for the CLI's option values. Each throws commander's InvalidArgumentError, which commander prints as
 * "error: option '--x <v>' argument 'bad' is invalid. <our reason>" and exits 1: never a stack trace.
 */

export function parseHttpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('Expected an http(s) URL such as http://127.0.0.1:3000.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('Expected an http:// or https:// URL.');
  if (url.search || url.hash) throw new InvalidArgumentError('Expected a base URL without ?query or #fragment.');
  return value.replace(/\/+$/, '');
}

/** FHIR's id type: 1-64 of A-Z a-z 0-9 - . */
export function parseFhirId(value: string): string {
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(value)) {
    throw new InvalidArgumentError('Expected a FHIR resource id (1-64 letters, digits, "-" or "."), e.g. lbp-c2mid-patient.');
  }
  return value;
}

/** A consultation code of the active definitions (the shipped courses and any configured ones). */
export function consultationCodeParser(definitions: () => Definitions): (value: string) => ConsultationCode {
  return (value) => {
    const codes = [...definitions().codes.keys()];
    if (!codes.includes(value)) throw new InvalidArgumentError(`Expected a consultation code: ${codes.join(', ')}.`);
    return value;
  };
}

/**
 * A date-time the way FHIR writes it: a date (midnight) or a date and time, with an offset or Z (local time of this
 * machine without one). Words like "tomorrow" are refused: what they mean depends on when the command runs.
 */
export function parseDateTime(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
  const parsed = match ? new Date(match[4] === undefined ? `${value}T00:00:00` : value) : undefined;
  if (!match || !parsed || Number.isNaN(parsed.getTime()) || !existsOnCalendar(match)) {
    throw new InvalidArgumentError('Expected a date or date-time such as 2026-12-03 or 2026-12-03T10:00:00+01:00.');
  }
  return parsed.toISOString();
}

/** new Date('2026-02-30') rolls over to March; a date that does not exist is refused, not moved. */
function existsOnCalendar(match: RegExpExecArray): boolean {
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day
    && Number(match[4] ?? 0) < 24 && Number(match[5] ?? 0) < 60 && Number(match[6] ?? 0) < 60;
}

export function parseNonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('Expected a value, not an empty string.');
  return value;
}
