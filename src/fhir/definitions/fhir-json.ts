import { arr, isObject, num, prop, str, type JsonObject } from '../map/guards.js';
import { TRANSLATION } from './extension-urls.js';

/** Small readers of conformance-resource JSON: extensions, their parts, Durations and translations. */

export const extensionsOf = (element: unknown, url: string): JsonObject[] =>
  arr(element, 'extension').filter((e): e is JsonObject => isObject(e) && str(e, 'url') === url);

export const partsOf = (ext: unknown, name: string): JsonObject[] =>
  arr(ext, 'extension').filter((e): e is JsonObject => isObject(e) && str(e, 'url') === name);

export const partOf = (ext: unknown, name: string): JsonObject | undefined => partsOf(ext, name)[0];

export function intPart(ext: unknown, name: string): number | undefined {
  const v = num(partOf(ext, name), 'valueInteger');
  return v !== undefined && Number.isInteger(v) ? v : undefined;
}

export const decimalPart = (ext: unknown, name: string): number | undefined =>
  num(partOf(ext, name), 'valueDecimal') ?? num(partOf(ext, name), 'valueInteger');

export const codePart = (ext: unknown, name: string): string | undefined => str(partOf(ext, name), 'valueCode');

export function boolPart(ext: unknown, name: string): boolean | undefined {
  const v = prop(partOf(ext, name), 'valueBoolean');
  return typeof v === 'boolean' ? v : undefined;
}

/** A Duration in days or months: { months } for 'mo'/'a', { days } for 'd'/'wk'; undefined for anything else. */
export function durationOf(d: unknown): { months?: number; days?: number } | undefined {
  const value = num(d, 'value');
  const code = str(d, 'code');
  if (value === undefined || value < 0) return undefined;
  if (code === 'mo') return { months: value };
  if (code === 'a') return { months: value * 12 };
  if (code === 'd') return { days: value };
  if (code === 'wk') return { days: value * 7 };
  return undefined;
}

/** The English translation of a string element (`_title`, `_subtitle`, `_text`), else undefined. */
export function englishOf(element: unknown): string | undefined {
  for (const t of extensionsOf(element, TRANSLATION)) {
    if (codePart(t, 'lang') === 'en') return str(partOf(t, 'content'), 'valueString');
  }
  return undefined;
}

/** A string and its English translation; English falls back to the string itself. */
export function bilingual(resource: JsonObject, key: string): { da: string; en: string } | undefined {
  const da = str(resource, key);
  if (da === undefined) return undefined;
  return { da, en: englishOf(prop(resource, `_${key}`)) ?? da };
}
