/**
 * The two resources a completed form becomes: the QuestionnaireResponse, and the score Observation derived from it
 * (as the EHR would hold it, and as the CDS service reads either). Codes from src/instruments and canonical.ts.
 */
import type { Observation, Questionnaire, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4.js';
import { CodeSystemUrl } from '../../canonical.js';
import type { Instrument } from '../../course/index.js';
import { InstrumentName, ScoreObservationCodes } from '../../instruments/index.js';

const SURVEY = { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' };
const UNITS = 'http://unitsofmeasure.org';

export interface ScoreWrite {
  readonly instrument: Instrument;
  readonly questionnaire: Questionnaire;
  readonly patientId: string;
  readonly encounterId?: string;
  readonly authored: string;
  readonly items: QuestionnaireResponseItem[];
  readonly value: number;
  readonly activities?: readonly { slot: number; text: string; rating: number }[];
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

export function scoreObservation(w: ScoreWrite, responseId: string): Observation {
  const code = ScoreObservationCodes[w.instrument][0];
  const value: Partial<Observation> = w.instrument === 'nprs'
    ? { valueInteger: w.value }
    : { valueQuantity: w.instrument === 'odi' ? { value: w.value, unit: '%', system: UNITS, code: '%' } : { value: w.value, unit: '{score}', system: UNITS, code: '{score}' } };
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [SURVEY] }],
    code: { coding: [{ system: code.system, code: code.code }], text: InstrumentName[w.instrument].da },
    subject: { reference: `Patient/${w.patientId}` },
    ...(w.encounterId ? { encounter: { reference: `Encounter/${w.encounterId}` } } : {}),
    effectiveDateTime: w.authored,
    derivedFrom: [{ reference: `QuestionnaireResponse/${responseId}` }],
    ...value,
    ...(w.activities ? {
      component: w.activities.map((a) => ({
        code: { coding: [{ system: CodeSystemUrl.instrument, code: `psfs-${a.slot}` }], text: a.text },
        valueInteger: a.rating,
      })),
    } : {}),
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
