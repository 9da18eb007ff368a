import { readFileSync } from 'node:fs';
import { SHIPPED_DEFINITIONS } from '../../../src/fhir/definitions/shipped.js';
import type { CourseHook, CourseMappingInput } from '../../../src/fhir/map/map-course.js';

/** Test support: a Bundle's resources sorted into the mapper's input arrays. */
export type Resources = CourseMappingInput['resources'];

const ARRAYS: Readonly<Record<string, keyof Resources>> = {
  Encounter: 'encounters',
  EpisodeOfCare: 'episodes',
  CarePlan: 'carePlans',
  Observation: 'observations',
  QuestionnaireResponse: 'questionnaireResponses',
  Questionnaire: 'questionnaires',
  Appointment: 'appointments',
};

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

export function bundleResources(bundle: unknown): {
  resources: Resources;
  all: Record<string, unknown>[];
  /** fullUrl of each resource by 'Type/id'. */
  fullUrls: Map<string, string>;
} {
  const fullUrls = new Map<string, string>();
  const lists: Record<keyof Resources, unknown[]> = {
    encounters: [], episodes: [], carePlans: [], observations: [], questionnaireResponses: [], questionnaires: [],
    appointments: [],
  };
  const all: Record<string, unknown>[] = [];
  const entries = (bundle as { entry?: { fullUrl?: string; resource?: Record<string, unknown> }[] }).entry ?? [];
  for (const e of entries) {
    const r = e.resource;
    if (!r) continue;
    if (e.fullUrl) fullUrls.set(`${String(r['resourceType'])}/${String(r['id'])}`, e.fullUrl);
    all.push(r);
    const key = ARRAYS[String(r['resourceType'])];
    if (key) lists[key].push(r);
  }
  return { resources: lists, all, fullUrls };
}

export function emptyResources(): Resources {
  return { encounters: [], episodes: [], carePlans: [], observations: [], questionnaireResponses: [], questionnaires: [], appointments: [] };
}

export function input(
  patientId: string,
  resources: Partial<Resources>,
  overrides: Partial<Omit<CourseMappingInput, 'resources'>> = {},
): CourseMappingInput {
  return {
    patientId,
    hook: 'patient-view' as CourseHook,
    requestInstant: '2026-11-25T12:00:00Z',
    scoresAvailable: true,
    definitions: SHIPPED_DEFINITIONS,
    ...overrides,
    resources: { ...emptyResources(), ...resources },
  };
}
