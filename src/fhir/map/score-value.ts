import type { Instrument } from '../../course/types.js';
import { isObject, num, prop } from './guards.js';

/** Valid range of each instrument's score (ODI percent, PSFS mean, NPRS). */
export const SCORE_RANGE: Readonly<Record<Instrument, { readonly min: number; readonly max: number }>> = {
  odi: { min: 0, max: 100 },
  psfs: { min: 0, max: 10 },
  nprs: { min: 0, max: 10 },
};

/**
 * Largest difference between a stated score and ours that is still rounding (instruments.md): ODI percent is often
 * stated as an integer, PSFS and NPRS with one decimal.
 */
export const ROUNDING_TOLERANCE: Readonly<Record<Instrument, number>> = { odi: 1, psfs: 0.1, nprs: 0.1 };

export function inRange(instrument: Instrument, value: number): boolean {
  const r = SCORE_RANGE[instrument];
  return value >= r.min && value <= r.max;
}

export type NumericValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'absent' }
  | { readonly kind: 'invalid' };

/**
 * The numeric value[x] of an Observation, component or answer: valueQuantity.value, valueInteger or valueDecimal
 * (not R4 for Observation, but seen). Decimals are accepted everywhere; a value[x] of another type is invalid.
 */
export function numericValue(element: unknown): NumericValue {
  if (!isObject(element)) return { kind: 'absent' };
  const q = prop(element, 'valueQuantity');
  if (q !== undefined) {
    const v = num(q, 'value');
    return v === undefined ? { kind: 'invalid' } : { kind: 'number', value: v };
  }
  for (const key of ['valueInteger', 'valueDecimal']) {
    const raw = prop(element, key);
    if (raw === undefined) continue;
    const v = num(raw);
    return v === undefined ? { kind: 'invalid' } : { kind: 'number', value: v };
  }
  for (const key of Object.keys(element)) {
    if (key.startsWith('value') && key !== 'value') return { kind: 'invalid' };
  }
  return { kind: 'absent' };
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;
export const round2 = (n: number): number => Math.round(n * 100) / 100;
