/**
 * Safe readers for JSON of unknown shape. EHR data arrives as `unknown`: every property access in the mapper goes
 * through these, so a malformed record yields `undefined` instead of a TypeError.
 */

export type JsonObject = { readonly [k: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function prop(v: unknown, key: string): unknown {
  // Own properties only: a resource with "__proto__" or "constructor" keys must not reach the prototype chain.
  return isObject(v) && Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
}

export function str(v: unknown, key?: string): string | undefined {
  const x = key === undefined ? v : prop(v, key);
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

export function num(v: unknown, key?: string): number | undefined {
  const x = key === undefined ? v : prop(v, key);
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

export function arr(v: unknown, key?: string): readonly unknown[] {
  const x = key === undefined ? v : prop(v, key);
  return Array.isArray(x) ? x : [];
}

export interface CodingLike {
  readonly system?: string;
  readonly code?: string;
}

/** The codings of one CodeableConcept, or of a list of them (Encounter.type, Appointment.serviceType). */
export function codings(concepts: unknown): CodingLike[] {
  const list = Array.isArray(concepts) ? concepts : [concepts];
  return list.flatMap((cc) => plainCodings(prop(cc, 'coding')));
}

/** Canonical 'url|version' split into its parts. */
export function splitCanonical(canonical: string): { url: string; version?: string } {
  const bar = canonical.indexOf('|');
  if (bar < 0) return { url: canonical };
  const version = canonical.slice(bar + 1);
  return version ? { url: canonical.slice(0, bar), version } : { url: canonical.slice(0, bar) };
}

/** Value of the first extension with the given url as a number (valueDecimal or valueInteger). */
export function numericExtension(element: unknown, url: string): number | undefined {
  for (const ext of arr(element, 'extension')) {
    if (str(ext, 'url') !== url) continue;
    const v = num(ext, 'valueDecimal') ?? num(ext, 'valueInteger');
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A list of plain Codings (Questionnaire.code, Questionnaire.item.code: Coding[], not CodeableConcept). */
export function plainCodings(list: unknown): CodingLike[] {
  const out: CodingLike[] = [];
  for (const c of arr(list)) {
    if (!isObject(c)) continue;
    const coding: { system?: string; code?: string } = {};
    const system = str(c, 'system');
    const code = str(c, 'code');
    if (system !== undefined) coding.system = system;
    if (code !== undefined) coding.code = code;
    out.push(coding);
  }
  return out;
}
