/**
 * Shared pieces of the conformance-resource generator (scripts/build-conformance.ts): metadata every resource
 * carries, the translation extension, and small builders. For what it generates, the generator is the source of
 * truth (test/fhir-resources checks the files on disk equal its output); the course definitions (PlanDefinitions,
 * ActivityDefinitions, the consultation and course-type CodeSystems) are hand-maintained JSON, read by the engine.
 */
import type { Coding, Extension } from 'fhir/r4.js';
import { CANONICAL_BASE, CONFORMANCE_VERSION } from '../../src/canonical.js';
import type { Bilingual } from '../../src/instruments/texts.js';

export const TRANSLATION_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/translation';
export const MIN_VALUE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/minValue';
export const MAX_VALUE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/maxValue';
export const UCUM = 'http://unitsofmeasure.org';

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

export type CodingOf = Required<Pick<Coding, 'system' | 'code' | 'display'>>;
