import { CodeSystemUrl, ExternalSystem, PlanDefinitionUrl } from '../../../src/canonical.js';

/** Small builders of our own FHIR conventions, for tests that need one thing different. */
export const PATIENT = 'p1';

export function encounter(id: string, code: string | undefined, start: string | undefined, more: Record<string, unknown> = {}) {
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    subject: { reference: `Patient/${PATIENT}` },
    ...(code === undefined ? {} : { type: [{ coding: [{ system: CodeSystemUrl.consultation, code }] }] }),
    ...(start === undefined ? {} : { period: { start } }),
    ...more,
  };
}

export function inEpisode(episodeId: string) {
  return { episodeOfCare: [{ reference: `EpisodeOfCare/${episodeId}` }] };
}

export function episode(id: string, start: string, more: Record<string, unknown> = {}) {
  return {
    resourceType: 'EpisodeOfCare',
    id,
    status: 'active',
    patient: { reference: `Patient/${PATIENT}` },
    period: { start },
    ...more,
  };
}

export function typed(type: string) {
  return { type: [{ coding: [{ system: CodeSystemUrl.courseType, code: type }] }] };
}

export function carePlan(id: string, type: keyof typeof PlanDefinitionUrl, more: Record<string, unknown> = {}) {
  return {
    resourceType: 'CarePlan',
    id,
    status: 'active',
    intent: 'plan',
    subject: { reference: `Patient/${PATIENT}` },
    instantiatesCanonical: [`${PlanDefinitionUrl[type]}|2025.05.28`],
    ...more,
  };
}

export function linkedTo(episodeId: string) {
  return { extension: [{ url: ExternalSystem.workflowEpisodeOfCare, valueReference: { reference: `EpisodeOfCare/${episodeId}` } }] };
}

export function appointment(id: string, code: string, start: string, more: Record<string, unknown> = {}) {
  return {
    resourceType: 'Appointment',
    id,
    status: 'proposed',
    serviceType: [{ coding: [{ system: CodeSystemUrl.consultation, code }] }],
    start,
    participant: [{ actor: { reference: `Patient/${PATIENT}` }, status: 'accepted' }],
    ...more,
  };
}

export function scoreObservation(id: string, loinc: string, value: Record<string, unknown>, effective: string, more: Record<string, unknown> = {}) {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: ExternalSystem.loinc, code: loinc }] },
    subject: { reference: `Patient/${PATIENT}` },
    effectiveDateTime: effective,
    ...value,
    ...more,
  };
}
