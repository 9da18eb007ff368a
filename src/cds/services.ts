import type { Definitions } from '../course/definitions/types.js';
import { VERSION } from '../version.js';

/** The languages of the discovery texts, as of the cards. */
type Texts = Readonly<Record<'da' | 'en', string>>;

/**
 * Our three CDS services. Each definition lives next to what the handler needs to know about it (which prefetch
 * keys hold which data, and which data is indispensable), so discovery cannot drift from behaviour.
 *
 * Prefetch templates keep to the spec's recommended subset: instance reads, type searches by patient, token
 * equality (with OR lists), and _count.
 */

export const HOOKS = ['encounter-start', 'patient-view', 'appointment-book'] as const;
export type Hook = (typeof HOOKS)[number];

/** What each prefetch key holds, so the handler can route resources whatever key name the EHR uses. */
export const PREFETCH_KEYS = ['patient', 'encounter', 'encounters', 'episodes', 'carePlans', 'scores', 'responses'] as const;
export type PrefetchKey = (typeof PREFETCH_KEYS)[number];

export interface CdsServiceSpec {
  readonly id: string;
  readonly hook: Hook;
  readonly title: Texts;
  readonly description: Texts;
  readonly prefetch: Readonly<Partial<Record<PrefetchKey, string>>>;
  readonly usageRequirements: Texts;
}

/** Stands for the score Observations' codes in a template until the definitions fill it in (prefetchOf). */
const SCORE_CODES = '{scoreCodes}';

const patientData = {
  patient: 'Patient/{{context.patientId}}',
  encounters: 'Encounter?patient={{context.patientId}}&_count=200',
  episodes: 'EpisodeOfCare?patient={{context.patientId}}',
  carePlans: 'CarePlan?patient={{context.patientId}}',
  scores: `Observation?patient={{context.patientId}}&code=${SCORE_CODES}&_count=200`,
  responses: 'QuestionnaireResponse?patient={{context.patientId}}&_count=200',
} as const;

const usage: Texts = {
  da: 'Kræver læseadgang (patient/*.read eller user/*.read) til Patient, Encounter, EpisodeOfCare, CarePlan, Observation, '
    + 'QuestionnaireResponse og Questionnaire, via prefetch eller fhirServer + fhirAuthorization.',
  en: 'Needs read access (patient/*.read or user/*.read) to Patient, Encounter, EpisodeOfCare, CarePlan, Observation, '
    + 'QuestionnaireResponse and Questionnaire, through prefetch or fhirServer + fhirAuthorization.',
};

export const CDS_SERVICES: readonly CdsServiceSpec[] = [
  {
    id: 'lbp-encounter-start',
    hook: 'encounter-start',
    title: {
      da: 'Struktureret forløb for lænderygsmerter: konsultation starter',
      en: 'Structured course for low back pain: consultation starts',
    },
    description: {
      // No codes or instruments named here: they are the course definitions' (the rules table lists them).
      da: 'Når en fysioterapeutisk konsultation starter: anbefaler næste ydelse i det strukturerede forløb for primære '
        + 'lænderygsmerter, markerer grænser som forløbet overskrider og manglende spørgeskemascorer, og viser ændringen '
        + 'i scorerne.',
      en: 'When a physiotherapy consultation starts: recommends the next consultation code of the structured course '
        + 'for primary low back pain, flags limits the course breaks and missing questionnaire scores, and shows the '
        + 'change in scores.',
    },
    prefetch: { ...patientData, encounter: 'Encounter/{{context.encounterId}}' },
    usageRequirements: usage,
  },
  {
    id: 'lbp-patient-view',
    hook: 'patient-view',
    title: {
      da: 'Struktureret forløb for lænderygsmerter: status',
      en: 'Structured course for low back pain: status',
    },
    description: {
      da: 'Når en behandler åbner patienten: status i det strukturerede forløb, anbefalet næste konsultation, grænser '
        + 'og manglende scorer, vurderet på tidspunktet for kaldet.',
      en: "When a clinician opens the patient: the structured course's status, the recommended next consultation, "
        + 'limits and missing scores, evaluated at the time of the request.',
    },
    prefetch: patientData,
    usageRequirements: usage,
  },
  {
    id: 'lbp-appointment-book',
    hook: 'appointment-book',
    title: {
      da: 'Struktureret forløb for lænderygsmerter: booking',
      en: 'Structured course for low back pain: booking',
    },
    description: {
      da: 'Før en konsultation bookes: holder den foreslåede aftales ydelse (serviceType) op mod forløbets grænser på '
        + 'aftalens startdato.',
      en: "Before a consultation is booked: checks the proposed Appointment's consultation code (serviceType) against "
        + "the course's limits on the Appointment's start date.",
    },
    prefetch: patientData,
    usageRequirements: usage,
  },
];

const byId = new Map(CDS_SERVICES.map((s) => [s.id, s]));
export const findService = (id: string): CdsServiceSpec | undefined => byId.get(id);

/** The extension key under which each service states the version of this software (package.json's). */
export const VERSION_EXTENSION = 'dk.structured-course.version';

/** Every instrument's score codings (LOINC first where it exists), as one `code=` search value. */
export function scoreCodesOf(definitions: Definitions): string {
  const codes = [...definitions.instruments.values()].flatMap((i) => i.codings.map((c) => `${c.system}|${c.code}`));
  return [...new Set(codes)].join(',');
}

/** A service's prefetch templates with the active instruments' score codes (a new instrument is fetched too). */
export function prefetchOf(service: CdsServiceSpec, definitions: Definitions): Readonly<Record<string, string>> {
  // Read on every hook call, and the same for a given definitions object (they never change once loaded): built
  // once per service and definitions. Callers never change the record (the reader only reads its templates).
  let byService = prefetchCache.get(definitions);
  if (!byService) prefetchCache.set(definitions, (byService = new Map()));
  let templates = byService.get(service);
  if (!templates) {
    const codes = scoreCodesOf(definitions);
    templates = Object.freeze(Object.fromEntries(Object.entries(service.prefetch)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([key, template]) => [key, template.replace(SCORE_CODES, codes)])));
    byService.set(service, templates);
  }
  return templates;
}

const prefetchCache = new WeakMap<Definitions, Map<CdsServiceSpec, Readonly<Record<string, string>>>>();

/** The discovery document (`GET /cds-services`), its texts in the request's language as the cards are. */
export function discoveryDocument(lang: 'da' | 'en', definitions: Definitions): { services: object[] } {
  return {
    services: CDS_SERVICES.map((s) => ({
      hook: s.hook,
      id: s.id,
      title: s.title[lang],
      description: s.description[lang],
      prefetch: prefetchOf(s, definitions),
      usageRequirements: s.usageRequirements[lang],
      extension: { [VERSION_EXTENSION]: VERSION },
    })),
  };
}
