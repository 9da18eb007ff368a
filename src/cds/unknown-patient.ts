import type { PrefetchOutcome } from '../fhir/prefetch.js';
import { FhirHttpError } from '../fhir/reader/errors.js';
import type { CardLanguage } from './cards/card-language.js';
import { SOURCE_LABEL } from './cards/card-text.js';
import type { CdsCard } from './protocol-types.js';

/**
 * A patient id with no Patient resource behind it is an integration mistake (a wrong id, the wrong FHIR server), not
 * a patient without a course (course-model.md, "No course"): it must never look like an ordinary empty answer.
 * Development mode says so in an info card; production answers with no cards and logs a warning (hashed id).
 */

/** The EHR says it has no such Patient (prefetch `null`), or the FHIR server answers 404/410 for it. */
export function isUnknownPatient(outcome: PrefetchOutcome | undefined): boolean {
  if (!outcome) return false;
  if (outcome.status === 'none') return true;
  if (outcome.status === 'failed') return outcome.error instanceof FhirHttpError && (outcome.error.status === 404 || outcome.error.status === 410);
  return !outcome.resources.some((r) => r.resourceType === 'Patient');
}

const TEXT: Readonly<Record<CardLanguage, { summary: string; detail: (id: string) => string }>> = {
  da: {
    summary: 'Patienten findes ikke: ingen Patient-ressource med dette id (integrationsfejl)',
    detail: (id) => `**Ingen patient med id \`${id}\`.** Hverken prefetch (\`patient\`) eller FHIR-serveren har en Patient-ressource `
      + 'med dette id, så der er intet forløb at vurdere. Tjek `context.patientId` og `fhirServer` i kaldet.\n\n'
      + 'Kortet vises kun i udviklingstilstand; i produktion svarer tjenesten uden kort og skriver en advarsel i loggen.',
  },
  en: {
    summary: 'Unknown patient: no Patient resource with this id (an integration mistake)',
    detail: (id) => `**No patient with id \`${id}\`.** Neither the prefetch (\`patient\`) nor the FHIR server has a Patient resource `
      + 'with this id, so there is no course to evaluate. Check `context.patientId` and `fhirServer` in the call.\n\n'
      + 'This card is shown in development mode only; in production the service answers with no cards and logs a warning.',
  },
};

/** The development card. The id is a FHIR id (the request schema checks it: letters, digits, '-', '.'), safe in Markdown. */
export function unknownPatientCard(patientId: string, lang: CardLanguage, newId: () => string): CdsCard {
  return {
    uuid: newId(),
    summary: TEXT[lang].summary,
    detail: TEXT[lang].detail(patientId),
    indicator: 'info',
    source: { label: SOURCE_LABEL[lang] },
  };
}
