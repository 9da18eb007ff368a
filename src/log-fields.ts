import { createHmac } from 'node:crypto';

/**
 * What the logs may say about things we do not control. A patient id can be a CPR number, so it is logged only as
 * a keyed hash (HMAC-SHA-256, cut to 16 hex digits: enough to follow one patient through the log, useless to anyone
 * without the key, and the key never leaves the configuration or the store). Untrusted text (an unverified `iss`,
 * the path as sent) is escaped to printable ASCII and cut short, so it can neither forge log lines in a plain-text
 * view nor fill the log.
 */

/** Longest untrusted value in a log line, after escaping. */
export const LOG_TEXT_MAX = 120;
const HASH_HEX_DIGITS = 16;

export type PatientHasher = (patientId: string) => string;

export function createPatientHasher(key: string): PatientHasher {
  return (patientId) => createHmac('sha256', key).update(patientId).digest('hex').slice(0, HASH_HEX_DIGITS);
}

/** Printable ASCII only (everything else as \\xNN or \\uNNNN), at most `max` characters, with the cut marked. */
export function forLog(value: unknown, max: number = LOG_TEXT_MAX): string {
  const text = typeof value === 'string' ? value : value === undefined ? '(none)' : safeStringify(value);
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const escaped = code >= 0x20 && code < 0x7f && ch !== '\\'
      ? ch
      : ch === '\\' ? '\\\\' : code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
    if (out.length + escaped.length > max) return `${out}...(${text.length} chars)`;
    out += escaped;
  }
  return out;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}
