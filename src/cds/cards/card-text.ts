import { CANONICAL_BASE } from '../../canonical.js';
import type { RuleId } from '../../course/types.js';
import type { CdsOverrideReason } from '../protocol-types.js';
import type { CardLanguage } from './card-language.js';

/** Short texts around the templates: card source, topic displays, suggestion labels. Danish first. */

export const SOURCE_LABEL: Readonly<Record<CardLanguage, string>> = {
  da: 'Strukturerede forløb, lænderyg',
  en: 'Structured courses, low back pain',
};

/** The card-topic CodeSystem's displays: what feedback analytics show per rule. */
export const RULE_TITLES: Readonly<Record<RuleId, Readonly<Record<CardLanguage, string>>>> = {
  'course-entry': { da: 'Indgang til forløbet', en: 'Course entry' },
  'education-limit': { da: 'Grænse for patientuddannelse', en: 'Patient education limit' },
  'individual-education-exception': {
    da: 'Individuel patientuddannelse som undtagelse',
    en: 'Individual patient education as an exception',
  },
  'individual-training-limit': { da: 'Grænse for individuel træning', en: 'Individual training limit' },
  'group-training-frequency': { da: 'Hyppighed af holdtræning', en: 'Group training frequency' },
  'one-per-day': { da: 'Én konsultation pr. dag', en: 'One consultation per day' },
  'final-consultation': { da: 'Afsluttende konsultation', en: 'Final consultation' },
  'follow-up-timing': { da: 'Tidspunkt for opfølgning', en: 'Follow-up timing' },
  'missing-baseline-scores': { da: 'Manglende scores ved start', en: 'Missing baseline scores' },
  'missing-final-scores': { da: 'Manglende scores ved afslutning', en: 'Missing final scores' },
  'follow-up-scores': { da: 'Scores ved opfølgning', en: 'Follow-up scores' },
  'outcome-change': { da: 'Ændring i scores', en: 'Outcome change' },
  'next-consultation': { da: 'Næste konsultation', en: 'Next consultation' },
  'course-type-unknown': { da: 'Ukendt forløbstype', en: 'Course type unknown' },
};

export const SUGGESTION_TEXT = {
  da: {
    book: (name: string) => `Planlæg ${name}`,
    bookAction: (name: string) => `Opret en foreslået aftale: ${name}`,
    taskCode: 'Udfyld spørgeskema',
    task: (instrument: string) => `Bed patienten udfylde ${instrument}`,
    taskAction: (instrument: string) => `Opret en opgave: patienten udfylder ${instrument}`,
    openForm: (instrument: string) => `Udfyld ${instrument} nu (spørgeskema-app)`,
    openTimeline: 'Se forløbet i forløbsoverblikket',
  },
  en: {
    book: (name: string) => `Book ${name}`,
    bookAction: (name: string) => `Create a proposed appointment: ${name}`,
    taskCode: 'Complete questionnaire',
    task: (instrument: string) => `Ask the patient to complete ${instrument}`,
    taskAction: (instrument: string) => `Create a task: the patient completes ${instrument}`,
    openForm: (instrument: string) => `Complete ${instrument} now (questionnaire app)`,
    openTimeline: 'See the course in the course overview',
  },
} as const;

/**
 * HL7's non-adherence reason codes (CDS Hooks, CodeSystem `non-adherence-reason-codes`, from the AHRQ CDSiC
 * override taxonomy), the vocabulary the spec points at for overrideReasons. These four cover why a
 * physiotherapist goes beyond a course limit: clinical judgement about the outcome, the patient's wishes, a card
 * that does not fit this patient (e.g. the record is incomplete), a disagreement with the rule itself. The
 * displays are ours in Danish; the codes are HL7's.
 */
export const NON_ADHERENCE_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes';

const OVERRIDE_REASON_DISPLAYS: ReadonlyArray<{ code: string; da: string; en: string }> = [
  {
    code: 'recipient-concerns-outcomes',
    da: 'Klinisk begrundet: hensyn til patientens forløb og resultat',
    en: 'Clinically justified: concern for the patient’s outcome',
  },
  {
    code: 'does-not-align-preferences',
    da: 'Patientens ønsker eller præferencer',
    en: 'Patient preferences or values',
  },
  {
    code: 'cds-not-applicable',
    da: 'Passer ikke på denne patient (fx ufuldstændige data)',
    en: 'Does not apply to this patient (e.g. incomplete data)',
  },
  {
    code: 'recipient-disagrees-evidence',
    da: 'Uenig i reglen eller aftalegrundlaget',
    en: 'Disagrees with the rule or its basis',
  },
];

export function overrideReasons(lang: CardLanguage): CdsOverrideReason[] {
  return OVERRIDE_REASON_DISPLAYS.map((r) => ({ code: r.code, system: NON_ADHERENCE_REASON_SYSTEM, display: r[lang] }));
}

/**
 * Why a physiotherapist dismisses a missing-score card: no HL7 non-adherence code says "the patient declined the
 * questionnaire" or "recorded in another system", so these are the project's own codes (under its canonical base).
 */
export const SCORE_OVERRIDE_REASON_SYSTEM = `${CANONICAL_BASE}/CodeSystem/score-override-reason`;

const SCORE_OVERRIDE_REASON_DISPLAYS: ReadonlyArray<{ code: string; da: string; en: string }> = [
  { code: 'patient-declined', da: 'Patienten har afslået at udfylde skemaet', en: 'The patient declined the questionnaire' },
  { code: 'recorded-elsewhere', da: 'Registreret et andet sted (fx på papir eller i et andet system)', en: 'Recorded elsewhere (e.g. on paper or in another system)' },
  { code: 'not-relevant-now', da: 'Ikke relevant ved denne konsultation', en: 'Not relevant at this consultation' },
];

export function scoreOverrideReasons(lang: CardLanguage): CdsOverrideReason[] {
  return SCORE_OVERRIDE_REASON_DISPLAYS.map((r) => ({ code: r.code, system: SCORE_OVERRIDE_REASON_SYSTEM, display: r[lang] }));
}

/** Rules whose cards a physiotherapist may knowingly override: the course limits. */
export const LIMIT_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'course-entry',
  'education-limit',
  'individual-training-limit',
  'group-training-frequency',
  'one-per-day',
  'final-consultation',
  'follow-up-timing',
]);

export const SCORE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'missing-baseline-scores',
  'missing-final-scores',
  'follow-up-scores',
]);

/** Texts for the records the engine skipped (`Evaluation.dataQuality`), per its code. */
export const ENGINE_ISSUE_TEXT = {
  'invalid-date': {
    da: 'En registrering har en ugyldig dato og er ikke talt med.',
    en: 'A record has an invalid date and was not counted.',
  },
  'unknown-code': {
    da: 'En registrering har en ukendt ydelseskode og er ikke talt med.',
    en: 'A record has an unknown consultation code and was not counted.',
  },
  'unknown-instrument': {
    da: 'En score fra et ukendt spørgeskema er ikke brugt.',
    en: 'A score from an unknown questionnaire was not used.',
  },
  'invalid-value': {
    da: 'En score har en ugyldig værdi og er ikke brugt.',
    en: 'A score has an invalid value and was not used.',
  },
} as const;

export const GENERIC_ISSUE_TEXT: Readonly<Record<CardLanguage, string>> = {
  da: 'En registrering kunne ikke bruges.',
  en: 'A record could not be used.',
};
