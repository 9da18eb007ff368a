/**
 * Shared pieces of the conformance-resource generator (scripts/build-conformance.ts): metadata every resource
 * carries, the translation extension, and small builders. The generator, not the JSON, is the source of truth;
 * test/fhir-resources checks that the files on disk equal its output.
 */
import type { Coding, Duration, Extension } from 'fhir/r4.js';
import { CANONICAL_BASE, CONFORMANCE_VERSION } from '../../src/canonical.js';
import type { Bilingual } from '../../src/instruments/texts.js';

export const TRANSLATION_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/translation';
export const MIN_VALUE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/minValue';
export const MAX_VALUE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/maxValue';
export const UCUM = 'http://unitsofmeasure.org';

/** Our own extension on PlanDefinition actions: a rule limit's default, as data (course-model.md). */
export const COURSE_LIMIT_EXTENSION = `${CANONICAL_BASE}/StructureDefinition/course-limit`;

export const ActivityDefinitionUrl = (code: string): string => `${CANONICAL_BASE}/ActivityDefinition/consultation-${code}`;

/** Metadata common to every conformance resource; the date is that of the agreement the version names. */
export const commonMetadata = {
  version: CONFORMANCE_VERSION,
  status: 'active' as const,
  experimental: false,
  date: '2025-05-28',
  publisher: 'structured-course-cds',
  jurisdiction: [{ coding: [{ system: 'urn:iso:std:iso:3166', code: 'DK', display: 'Denmark' }] }],
};

/** The `_text`/`_display`/`_title` element carrying the English translation of a Danish string. */
export function english(text: Bilingual): { extension: Extension[] } {
  return {
    extension: [
      {
        url: TRANSLATION_EXTENSION,
        extension: [
          { url: 'lang', valueCode: 'en' },
          { url: 'content', valueString: text.en },
        ],
      },
    ],
  };
}

export function designations(text: Bilingual): { language: string; value: string }[] {
  return [
    { language: 'da', value: text.da },
    { language: 'en', value: text.en },
  ];
}

export function days(value: number): Duration {
  return { value, unit: value === 1 ? 'dag' : 'dage', system: UCUM, code: 'd' };
}

export function months(value: number): Duration {
  return { value, unit: value === 1 ? 'måned' : 'måneder', system: UCUM, code: 'mo' };
}

export interface LimitData {
  /** Most of this action per course (or per window when `window` is given). */
  readonly max?: number;
  readonly window?: Duration;
  /** What the window is counted from: the course entry. */
  readonly anchor?: 'entry';
  readonly maxPerIsoWeek?: number;
  /** How far a follow-up may lie from its target date. */
  readonly tolerance?: Duration;
}

export function limitExtension(limit: LimitData): Extension {
  const parts: Extension[] = [];
  if (limit.max !== undefined) parts.push({ url: 'max', valueInteger: limit.max });
  if (limit.window) parts.push({ url: 'window', valueDuration: limit.window });
  if (limit.anchor) parts.push({ url: 'anchor', valueCode: limit.anchor });
  if (limit.maxPerIsoWeek !== undefined) parts.push({ url: 'maxPerIsoWeek', valueInteger: limit.maxPerIsoWeek });
  if (limit.tolerance) parts.push({ url: 'tolerance', valueDuration: limit.tolerance });
  return { url: COURSE_LIMIT_EXTENSION, extension: parts };
}

export type CodingOf = Required<Pick<Coding, 'system' | 'code' | 'display'>>;
