/**
 * The two resources a completed form becomes: the QuestionnaireResponse, and the score Observation derived from it
 * (as the EHR would hold it, and as the CDS service reads either). Codes and names from the instrument definition.
 */
import type { Observation, ObservationComponent, Questionnaire, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4.js';
import type { InstrumentDefinition } from '../../course/definitions/types.js';

const SURVEY = { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' };
const UNITS = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';

export interface ScoreWrite {
  readonly instrument: InstrumentDefinition;
  readonly questionnaire: Questionnaire;
  readonly patientId: string;
  readonly encounterId?: string;
  readonly authored: string;
  readonly items: QuestionnaireResponseItem[];
  /** The score; absent for an instrument scored in subscales (then `subscales`). */
  readonly value?: number;
  readonly activities?: readonly { slot: number; text: string; rating: number }[];
  readonly subscales?: readonly { id: string; value: number }[];
}

export function questionnaireResponse(w: ScoreWrite): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire: w.questionnaire.url ?? '',
    status: 'completed',
    subject: { reference: `Patient/${w.patientId}` },
    ...(w.encounterId ? { encounter: { reference: `Encounter/${w.encounterId}` } } : {}),
    authored: w.authored,
    item: w.items,
  };
}

/**
 * The score Observation, coded with the instrument's first coding (LOINC where it has one); activity and subscale
 * components with its own (non-LOINC) coding's system, as the mapper reads them back: '<code>-<n>' per activity,
 * the subscale id per subscale. Undefined when there is neither a value nor subscales to state.
 */
export function scoreObservation(w: ScoreWrite, responseId: string): Observation | undefined {
  const def = w.instrument;
  const code = def.codings[0];
  if (!code || (w.value === undefined && !w.subscales?.length)) return undefined;
  const own = def.codings.find((c) => c.system !== LOINC) ?? code;
  const unit = def.unit ?? '{score}';
  const value: Partial<Observation> = w.value === undefined ? {}
    : def.method === 'single-item' && Number.isInteger(w.value) ? { valueInteger: w.value }
      : { valueQuantity: { value: w.value, unit, system: UNITS, code: unit } };
  const components: ObservationComponent[] = [
    ...(w.activities ?? []).map((a) => ({
      code: { coding: [{ system: own.system, code: `${own.code}-${a.slot}` }], text: a.text },
      valueInteger: a.rating,
    })),
    ...(w.subscales ?? []).map((sub) => ({
      code: { coding: [{ system: own.system, code: sub.id }], text: def.subscales.find((x) => x.id === sub.id)?.name.da ?? sub.id },
      valueQuantity: { value: sub.value, unit: '{score}', system: UNITS, code: '{score}' },
    })),
  ];
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [SURVEY] }],
    code: { coding: [{ system: code.system, code: code.code }], text: def.name.da.long },
    subject: { reference: `Patient/${w.patientId}` },
    ...(w.encounterId ? { encounter: { reference: `Encounter/${w.encounterId}` } } : {}),
    effectiveDateTime: w.authored,
    derivedFrom: [{ reference: `QuestionnaireResponse/${responseId}` }],
    ...value,
    ...(components.length > 0 ? { component: components } : {}),
  };
}

/** Now as a FHIR dateTime with the browser's offset (the EHR's local time), to the second. */
export function nowWithOffset(now: Date): string {
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const local = new Date(now.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
