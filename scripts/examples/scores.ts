/**
 * Score resources: each measurement is written twice, as the raw QuestionnaireResponse and as the scored
 * Observation derived from it, because EHRs hold either and the service reads both (instruments.md).
 */
import type { Coding, Observation, QuestionnaireResponse, QuestionnaireResponseItem, Reference } from 'fhir/r4.js';
import { CANONICAL_BASE, CodeSystemUrl, ExternalSystem, Loinc, QuestionnaireUrl } from '../../src/canonical.js';
import { ref } from './ids.js';

/** Same value as ODI_ANSWER_SYSTEM in src/instruments/codes.ts: the code is the ordinal score '0'..'5'. */
export const ODI_ANSWER_SYSTEM = `${CANONICAL_BASE}/CodeSystem/odi-answer`;

const SURVEY: Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/observation-category',
  code: 'survey',
  display: 'Survey',
};

/**
 * Short Danish section titles, as in fhir-resources/Questionnaire-odi.json: the licensed statement wording is not
 * shipped (instruments.md).
 */
export const ODI_SECTIONS = [
  'Smerteintensitet', 'Personlig pleje', 'Løft', 'Gang', 'Siddende', 'Stående', 'Søvn', 'Seksualliv (hvis relevant)',
  'Socialt liv', 'Rejser',
] as const;

/** Displays of the odi-answer CodeSystem (fhir-resources/CodeSystem-odi-answer.json). */
export const ODI_ANSWER_DISPLAY = [
  'Udsagn 0 (mindst besvær)', 'Udsagn 1', 'Udsagn 2', 'Udsagn 3', 'Udsagn 4', 'Udsagn 5 (størst besvær)',
] as const;
const SEX_LIFE_INDEX = 7;

/**
 * How strongly low back pain usually weighs on each ODI section (lifting, sitting and standing first). Only used
 * to spread a target total over the sections in a plausible, deterministic way.
 */
const SECTION_WEIGHT = [1.2, 0.6, 1.5, 0.8, 1.3, 1.1, 0.9, 0.7, 1.0, 1.0] as const;

/** Section answers 0-5 (undefined = unanswered) whose ODI score is as close as possible to `percent`. */
export function odiAnswersFor(percent: number, skipSexLife: boolean): readonly (number | undefined)[] {
  const answered = SECTION_WEIGHT.map((_, i) => !(skipSexLife && i === SEX_LIFE_INDEX));
  const count = answered.filter(Boolean).length;
  const total = Math.round((percent / 100) * 5 * count);
  const answers = SECTION_WEIGHT.map(() => 0);
  // Highest-averages apportionment (D'Hondt): deterministic, and each point goes where the weight is largest.
  for (let point = 0; point < total; point++) {
    let best = -1;
    let bestQuotient = -1;
    SECTION_WEIGHT.forEach((w, i) => {
      const current = answers[i] ?? 0;
      if (!answered[i] || current >= 5) return;
      const q = w / (current + 1);
      if (q > bestQuotient) {
        bestQuotient = q;
        best = i;
      }
    });
    answers[best] = (answers[best] ?? 0) + 1;
  }
  return answers.map((a, i) => (answered[i] ? a : undefined));
}

/** ODI percent from section answers: sum / (5 x answered) x 100, one decimal. */
export function odiPercent(answers: readonly (number | undefined)[]): number {
  const given = answers.filter((a): a is number => a !== undefined);
  const sum = given.reduce((s, a) => s + a, 0);
  return Math.round((sum / (5 * given.length)) * 1000) / 10;
}

export function psfsMean(ratings: readonly number[]): number {
  return Math.round((ratings.reduce((s, r) => s + r, 0) / ratings.length) * 10) / 10;
}

export interface ScoreContext {
  readonly patient: Reference;
  readonly encounter: Reference;
  /** FHIR dateTime of the answer, with the Copenhagen offset. */
  readonly authored: string;
}

export interface ScorePair {
  readonly response: QuestionnaireResponse;
  readonly observation: Observation;
}

function response(id: string, questionnaire: string, ctx: ScoreContext, item: QuestionnaireResponseItem[]): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id,
    questionnaire,
    status: 'completed',
    subject: ctx.patient,
    encounter: ctx.encounter,
    authored: ctx.authored,
    author: ctx.patient,
    item,
  };
}

function observationBase(id: string, ctx: ScoreContext, responseId: string): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [SURVEY] }],
    code: { coding: [] },
    subject: ctx.patient,
    encounter: ctx.encounter,
    effectiveDateTime: ctx.authored,
    derivedFrom: [ref('QuestionnaireResponse', responseId)],
  };
}

export function odiScore(ids: { response: string; observation: string }, ctx: ScoreContext, answers: readonly (number | undefined)[]): ScorePair {
  const item: QuestionnaireResponseItem[] = [];
  answers.forEach((a, i) => {
    if (a === undefined) return;
    item.push({
      linkId: `odi-${i + 1}`,
      text: ODI_SECTIONS[i],
      answer: [{
        valueCoding: {
          extension: [{ url: ExternalSystem.ordinalValueExtension, valueDecimal: a }],
          system: ODI_ANSWER_SYSTEM,
          code: String(a),
          display: ODI_ANSWER_DISPLAY[a],
        },
      }],
    });
  });
  const observation: Observation = {
    ...observationBase(ids.observation, ctx, ids.response),
    code: {
      coding: [{ system: ExternalSystem.loinc, code: Loinc.odiTotal, display: 'Oswestry disability index score ODI' }],
      text: 'Oswestry Disability Index (ODI)',
    },
    valueQuantity: { value: odiPercent(answers), unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
  };
  return { response: response(ids.response, QuestionnaireUrl.odi, ctx, item), observation };
}

export function psfsScore(
  ids: { response: string; observation: string },
  ctx: ScoreContext,
  activities: readonly string[],
  ratings: readonly number[],
): ScorePair {
  const item: QuestionnaireResponseItem[] = activities.map((activity, i) => ({
    linkId: `psfs-${i + 1}`,
    item: [
      { linkId: `psfs-${i + 1}-activity`, answer: [{ valueString: activity }] },
      { linkId: `psfs-${i + 1}-score`, answer: [{ valueInteger: ratings[i] ?? 0 }] },
    ],
  }));
  const observation: Observation = {
    ...observationBase(ids.observation, ctx, ids.response),
    code: {
      coding: [{ system: CodeSystemUrl.instrument, code: 'psfs', display: 'Patient Specifik Funktionel Skala' }],
      text: 'Patient Specifik Funktionel Skala (PSFS), gennemsnit',
    },
    valueQuantity: { value: psfsMean(ratings), unit: '{score}', system: 'http://unitsofmeasure.org', code: '{score}' },
    component: activities.map((activity, i) => ({
      code: { coding: [{ system: CodeSystemUrl.instrument, code: `psfs-${i + 1}` }], text: activity },
      valueInteger: ratings[i] ?? 0,
    })),
  };
  return { response: response(ids.response, QuestionnaireUrl.psfs, ctx, item), observation };
}

export function nprsScore(ids: { response: string; observation: string }, ctx: ScoreContext, value: number): ScorePair {
  const observation: Observation = {
    ...observationBase(ids.observation, ctx, ids.response),
    code: {
      coding: [{
        system: ExternalSystem.loinc,
        code: Loinc.nprs,
        display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
      }],
      text: 'Numeric Pain Rating Scale (NPRS)',
    },
    valueInteger: value,
  };
  return {
    response: response(ids.response, QuestionnaireUrl.nprs, ctx, [{ linkId: 'nprs', answer: [{ valueInteger: value }] }]),
    observation,
  };
}
