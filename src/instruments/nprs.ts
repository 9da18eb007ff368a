/**
 * Numeric Pain Rating Scale, 0 (no pain) to 10 (worst imaginable). Real EHR data stores it as a decimal
 * Observation value (Synthea writes 3.6), so any finite number 0-10 is accepted as is; everything else (strings,
 * NaN, out of range) is invalid, for the mapper to report as a data-quality note.
 */

export const NPRS_MIN = 0;
export const NPRS_MAX = 10;

export type NprsResult =
  | { readonly status: 'scored'; readonly value: number }
  | { readonly status: 'invalid'; readonly reason: string };

export function scoreNprs(value: unknown): NprsResult {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { status: 'invalid', reason: `NPRS value ${describe(value)} is not a number` };
  }
  if (value < NPRS_MIN || value > NPRS_MAX) {
    return { status: 'invalid', reason: `NPRS value ${value} is outside 0-10` };
  }
  return { status: 'scored', value };
}

// Describe the type and at most a short number: the value could be free text from the EHR, never echoed whole.
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return `of type ${typeof value}`;
}
