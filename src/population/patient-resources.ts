/**
 * One patient's resources as the population job hands them to the engine: the same kinds the hook path reads
 * (prefetch keys encounters, episodes, carePlans, scores, responses), plus the patient's Appointments.
 */
export interface PatientResources {
  readonly patientId: string;
  readonly encounters: unknown[];
  readonly episodes: unknown[];
  readonly carePlans: unknown[];
  readonly observations: unknown[];
  readonly questionnaireResponses: unknown[];
  readonly appointments: unknown[];
  /** Questionnaires the responses name that the mapping does not know by URL (the hook path fetches them too). */
  readonly questionnaires: unknown[];
  /** False when the scores could not be read (a FHIR server failed): score rules then say so, never "missing". */
  readonly scoresAvailable: boolean;
}

/** Resource types the job reads per patient, and the list each one goes to. */
export const PATIENT_RESOURCE_LISTS = {
  Encounter: 'encounters',
  EpisodeOfCare: 'episodes',
  CarePlan: 'carePlans',
  Observation: 'observations',
  QuestionnaireResponse: 'questionnaireResponses',
  Appointment: 'appointments',
} as const satisfies Record<string, keyof PatientResources>;

export type PatientResourceType = keyof typeof PATIENT_RESOURCE_LISTS | 'Patient';

export function emptyPatientResources(patientId: string): PatientResources {
  return {
    patientId, encounters: [], episodes: [], carePlans: [], observations: [], questionnaireResponses: [],
    appointments: [], questionnaires: [], scoresAvailable: true,
  };
}

/** Adds a resource to its list; false when its type is not one the job reads (it is then ignored). */
export function addResource(target: PatientResources, resource: { resourceType?: unknown }): boolean {
  const list = PATIENT_RESOURCE_LISTS[resource.resourceType as keyof typeof PATIENT_RESOURCE_LISTS];
  if (list === undefined) return false;
  target[list].push(resource);
  return true;
}
