import type { InstrumentDefinition } from '../../course/definitions/types.js';
import { isObject, num, prop } from './guards.js';

/** Within the instrument's range (its definition: ODI percent 0-100, PSFS mean 0-10, NPRS 0-10, subscales 0-100). */
export function inRange(instrument: InstrumentDefinition, value: number): boolean {
  return value >= instrument.min && value <= instrument.max;
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

export const roundTo = (n: number, decimals: number): number => Math.round(n * 10 ** decimals) / 10 ** decimals;
