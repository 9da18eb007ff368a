import type { Appointment, Task } from 'fhir/r4.js';
import type { Definitions } from '../../course/definitions/types.js';
import type { ConsultationCode, Instrument } from '../../course/types.js';
import type { CardLanguage } from './card-language.js';
import { consultationName, instrumentName } from './consultation-names.js';
import { SUGGESTION_TEXT } from './card-text.js';

/** The resources a card's suggestions create. Every field has a value: nothing null, empty or undefined. */

export function proposedAppointment(
  code: ConsultationCode,
  patientId: string,
  lang: CardLanguage,
  defs: Definitions,
  targetDate?: string,
): Appointment {
  const display = consultationName(code, lang, defs);
  const system = defs.codes.get(code)?.system;
  return {
    resourceType: 'Appointment',
    status: 'proposed',
    serviceType: [{ coding: [{ ...(system ? { system } : {}), code, display }] }],
    description: `${display} (${code})`,
    // A follow-up has a target date; the EHR's scheduler finds the slot, so `start` stays open.
    ...(targetDate ? { requestedPeriod: [{ start: targetDate, end: targetDate }] } : {}),
    participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'needs-action' }],
  };
}

export function questionnaireTask(
  instrument: Instrument,
  patientId: string,
  lang: CardLanguage,
  defs: Definitions,
  encounterId?: string,
): Task {
  const questionnaire = defs.instruments.get(instrument)?.questionnaires[0];
  const text = SUGGESTION_TEXT[lang];
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { text: text.taskCode },
    description: text.task(instrumentName(instrument, lang, defs).long),
    for: { reference: `Patient/${patientId}` },
    ...(encounterId ? { encounter: { reference: `Encounter/${encounterId}` } } : {}),
    // R4 Task has no Questionnaire element; the canonical travels as an input, as SDC's questionnaire tasks do.
    ...(questionnaire ? { input: [{ type: { text: 'questionnaire' }, valueCanonical: questionnaire }] } : {}),
  };
}
