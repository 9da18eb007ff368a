import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { arr, isObject, prop, str, type JsonObject } from './guards.js';
import { parseReference } from './references.js';

/**
 * Resources of one kind, checked once and indexed by id: non-objects, wrong types, missing ids, duplicates and other
 * patients' resources are dropped here with an issue, so the mappers after this only see sound, own records.
 */
export interface ResourceIndex {
  readonly byId: ReadonlyMap<string, JsonObject>;
  /** In input order (first occurrence of each id). */
  readonly list: readonly JsonObject[];
}

/** Where the patient reference of each resource type is. */
const SUBJECT_PATH: Readonly<Record<string, string>> = {
  Encounter: 'subject',
  EpisodeOfCare: 'patient',
  CarePlan: 'subject',
  Observation: 'subject',
  QuestionnaireResponse: 'subject',
};

export interface PatientCheck {
  readonly patientId: string;
  /** Other references that denote the patient, e.g. her Bundle entry's fullUrl ('urn:uuid:...'). */
  readonly aliases?: ReadonlySet<string>;
  /** Counts references read from absolute URLs, reported once per mapping rather than once per resource. */
  absoluteReferences: number;
}

export type PatientMatch = 'patient' | 'other' | 'missing' | 'contained';

/** Whether a reference element points at the context patient. */
export function matchPatientReference(element: unknown, check: PatientCheck): PatientMatch {
  const raw = str(element, 'reference');
  if (raw !== undefined && check.aliases?.has(raw) === true) return 'patient';
  const r = parseReference(element);
  if (r.kind === 'none') return 'missing';
  if (r.kind === 'contained') return 'contained';
  if (r.kind !== 'resource' || (r.type !== undefined && r.type !== 'Patient')) return 'other';
  if (r.absolute) check.absoluteReferences += 1;
  return r.id === check.patientId ? 'patient' : 'other';
}

/** Appointment participants: the Appointment is the patient's when any participant actor is the patient. */
function matchAppointmentPatient(resource: JsonObject, check: PatientCheck): PatientMatch {
  let sawPatient = false;
  for (const p of arr(resource, 'participant')) {
    const actor = prop(p, 'actor');
    const r = parseReference(actor);
    if (r.kind !== 'resource') continue;
    if (check.aliases?.has(str(actor, 'reference') ?? '') === true) return 'patient';
    if (r.type !== undefined && r.type !== 'Patient') continue;
    const m = matchPatientReference(actor, check);
    if (m === 'patient') return 'patient';
    if (r.type === 'Patient') sawPatient = true;
  }
  return sawPatient ? 'other' : 'missing';
}

export function patientOf(resource: JsonObject, type: string, check: PatientCheck): PatientMatch {
  if (type === 'Appointment') return matchAppointmentPatient(resource, check);
  const path = SUBJECT_PATH[type];
  if (path === undefined) return 'patient';
  return matchPatientReference(prop(resource, path), check);
}

export function indexResources(
  input: unknown,
  type: string,
  check: PatientCheck | undefined,
  issues: DataQualityIssue[],
): ResourceIndex {
  const byId = new Map<string, JsonObject>();
  const list: JsonObject[] = [];
  const items = Array.isArray(input) ? input : [];
  for (const item of items) {
    if (!isObject(item)) {
      issues.push(dataQualityIssue('not-a-resource', undefined, { expected: type }));
      continue;
    }
    const rt = str(item, 'resourceType');
    if (rt !== type) {
      issues.push(
        rt === undefined
          ? dataQualityIssue('not-a-resource', undefined, { expected: type })
          : dataQualityIssue('wrong-resource-type', undefined, { expected: type, found: rt.slice(0, 64) }),
      );
      continue;
    }
    const id = str(item, 'id');
    if (id === undefined) {
      issues.push(dataQualityIssue('missing-id', undefined, { resourceType: type }));
      continue;
    }
    const ref = `${type}/${id}`;
    if (byId.has(id)) {
      issues.push(dataQualityIssue('duplicate-resource', ref));
      continue;
    }
    if (check !== undefined) {
      const m = patientOf(item, type, check);
      if (m === 'other') {
        issues.push(dataQualityIssue('other-patient', ref));
        continue;
      }
      // Kept: the prefetch and reader ask for this patient's resources only, so one naming no patient is hers.
      if (m === 'missing') issues.push(dataQualityIssue('missing-subject', ref));
      if (m === 'contained') issues.push(dataQualityIssue('contained-resource', ref, { element: 'subject' }));
    }
    byId.set(id, item);
    list.push(item);
  }
  return { byId, list };
}

/** A contained resource of `container` by its local id and type. */
export function containedResource(container: unknown, id: string, type: string): JsonObject | undefined {
  for (const c of arr(container, 'contained')) {
    if (isObject(c) && str(c, 'id') === id && str(c, 'resourceType') === type) return c;
  }
  return undefined;
}
