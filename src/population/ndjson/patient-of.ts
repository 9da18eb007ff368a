import { parseReference } from '../../fhir/map/references.js';

/** Where each resource type names its patient (Patient itself: its id; Appointment: a participant actor). */
const PATIENT_PATH: Readonly<Record<string, string>> = {
  Encounter: 'subject',
  EpisodeOfCare: 'patient',
  CarePlan: 'subject',
  Observation: 'subject',
  QuestionnaireResponse: 'subject',
  Condition: 'subject',
  Goal: 'subject',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The id of the patient a Bulk Data resource belongs to, or undefined (no patient, or a reference we cannot
 * resolve: such a resource cannot be grouped and is counted as skipped).
 */
export function patientIdOf(resource: unknown): string | undefined {
  if (!isObject(resource)) return undefined;
  const type = resource.resourceType;
  if (type === 'Patient') return typeof resource.id === 'string' ? resource.id : undefined;
  if (type === 'Appointment') {
    for (const p of Array.isArray(resource.participant) ? resource.participant : []) {
      const r = parseReference(isObject(p) ? p.actor : undefined);
      if (r.kind === 'resource' && r.type === 'Patient') return r.id;
    }
    return undefined;
  }
  const path = typeof type === 'string' ? PATIENT_PATH[type] : undefined;
  if (path === undefined) return undefined;
  const r = parseReference(resource[path]);
  return r.kind === 'resource' && (r.type === undefined || r.type === 'Patient') ? r.id : undefined;
}
