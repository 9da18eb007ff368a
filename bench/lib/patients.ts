/**
 * The benchmark's patients: the demo's mid-course course-2 patient as it is, and synthetic course-2 histories of any
 * length cloned from it (same resource shapes, so the mapping takes the same paths), plus the prefetch an EHR would
 * send for our templates.
 */
import type { Bundle, Encounter, Observation, QuestionnaireResponse, Resource } from 'fhir/r4.js';
import { CodeSystemUrl, Loinc } from '../../src/canonical.js';
import { findDemoPatient, loadDemoBundle } from '../../src/demo/patients.js';

export const PROJECT_ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

export interface BenchPatient {
  readonly patientId: string;
  readonly encounterId: string;
  readonly bundle: Bundle;
  readonly resources: readonly Resource[];
  readonly consultations: number;
}

/** The demo's main encounter-start patient: course 2, six consultations, the current one a 0266. */
export function midCoursePatient(): BenchPatient {
  const demo = findDemoPatient('course-2-mid-course');
  if (!demo?.currentEncounterId) throw new Error('demo patient course-2-mid-course is missing');
  const bundle = loadDemoBundle(PROJECT_ROOT, demo);
  const resources = resourcesOf(bundle);
  return {
    patientId: demo.patientId,
    encounterId: demo.currentEncounterId,
    bundle,
    resources,
    consultations: resources.filter((r) => r.resourceType === 'Encounter').length,
  };
}

/** After entry (0110) and group education (0263) the course repeats these steps. */
const CYCLE = ['0266', '0264', '0113', '0269'] as const;
/** One ODI and one PSFS (QuestionnaireResponse + Observation each) per this many consultations. */
export const CONSULTATIONS_PER_SCORE_SET = 10;
const DAY_MS = 86_400_000;
/** The last (current) consultation's day; the others precede it one a day. */
const LAST_DAY = Date.UTC(2026, 10, 25);

/**
 * A course-2 patient with `count` consultations, one a day, the last one arriving now, and an ODI and a PSFS score
 * every ten consultations (the first at the entry): 1,000 consultations carry 100 of each, 1,400 resources in all.
 */
export function syntheticPatient(count: number): BenchPatient {
  if (count < 2) throw new Error('a synthetic course needs at least two consultations');
  const template = midCoursePatient();
  const prefix = `bench-n${count}`;
  // Every id and reference of the template moves to the new prefix in one go.
  const renamed = JSON.parse(JSON.stringify(template.resources).replaceAll('lbp-c2mid', prefix)) as Resource[];
  const first = (type: string, id?: string): Resource => {
    const found = renamed.find((r) => r.resourceType === type && (id === undefined || r.id === id));
    if (!found) throw new Error(`template has no ${type} ${id ?? ''}`);
    return found;
  };
  const encounterTemplate = first('Encounter', `${prefix}-enc-03`) as Encounter;
  const qrOdi = first('QuestionnaireResponse', `${prefix}-qr-odi-01`) as QuestionnaireResponse;
  const qrPsfs = first('QuestionnaireResponse', `${prefix}-qr-psfs-01`) as QuestionnaireResponse;
  const obsOdi = first('Observation', `${prefix}-obs-odi-01`) as Observation;
  const obsPsfs = first('Observation', `${prefix}-obs-psfs-01`) as Observation;

  const dayOf = (i: number): string => new Date(LAST_DAY - (count - 1 - i) * DAY_MS).toISOString().slice(0, 10);
  const entryDay = dayOf(0);
  const fixed = renamed
    .filter((r) => !['Encounter', 'QuestionnaireResponse', 'Observation'].includes(r.resourceType))
    .map((r) => {
      // The episode, plan and goals start with the synthetic entry, not the template's.
      const copy = JSON.parse(JSON.stringify(r).replaceAll('2026-11-02', entryDay)) as Resource;
      return copy;
    });

  const generated: Resource[] = [];
  for (let i = 0; i < count; i++) {
    const code = i === 0 ? '0110' : i === 1 ? '0263' : CYCLE[(i - 2) % CYCLE.length]!;
    const day = dayOf(i);
    const current = i === count - 1;
    const id = `${prefix}-enc-${String(i + 1).padStart(4, '0')}`;
    const encounter: Encounter = {
      ...clone(encounterTemplate),
      id,
      status: current ? 'arrived' : 'finished',
      type: [{ coding: [{ system: CodeSystemUrl.consultation, code }] }],
      period: current ? { start: `${day}T10:00:00+01:00` } : { start: `${day}T10:00:00+01:00`, end: `${day}T10:45:00+01:00` },
    };
    generated.push(encounter);
    if (i % CONSULTATIONS_PER_SCORE_SET === 0) {
      const n = String(i / CONSULTATIONS_PER_SCORE_SET + 1).padStart(3, '0');
      const authored = `${day}T09:30:00+01:00`;
      const encounterRef = { reference: `Encounter/${id}` };
      const odiQr = { ...clone(qrOdi), id: `${prefix}-qr-odi-${n}`, encounter: encounterRef, authored };
      const psfsQr = { ...clone(qrPsfs), id: `${prefix}-qr-psfs-${n}`, encounter: encounterRef, authored };
      const odiObs: Observation = { ...clone(obsOdi), id: `${prefix}-obs-odi-${n}`, encounter: encounterRef, effectiveDateTime: authored, derivedFrom: [{ reference: `QuestionnaireResponse/${odiQr.id}` }] };
      const psfsObs: Observation = { ...clone(obsPsfs), id: `${prefix}-obs-psfs-${n}`, encounter: encounterRef, effectiveDateTime: authored, derivedFrom: [{ reference: `QuestionnaireResponse/${psfsQr.id}` }] };
      generated.push(odiQr, psfsQr, odiObs, psfsObs);
    }
  }
  const resources = [...fixed, ...generated];
  return {
    patientId: `${prefix}-patient`,
    encounterId: `${prefix}-enc-${String(count).padStart(4, '0')}`,
    bundle: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: resources.map((resource) => ({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } })),
    },
    resources,
    consultations: count,
  };
}

const SCORE_CODES = new Set([
  `http://loinc.org|${Loinc.odiTotal}`,
  `http://loinc.org|${Loinc.nprs}`,
  `${CodeSystemUrl.instrument}|psfs`,
  `${CodeSystemUrl.instrument}|odi`,
  `${CodeSystemUrl.instrument}|nprs`,
]);

/** What an EHR would prefetch for the encounter-start templates: every key filled, as searchset Bundles. */
export function prefetchFor(patient: BenchPatient): Record<string, unknown> {
  const of = (type: string): Resource[] => patient.resources.filter((r) => r.resourceType === type);
  const searchset = (items: Resource[]): Bundle => ({
    resourceType: 'Bundle',
    type: 'searchset',
    total: items.length,
    entry: items.map((resource) => ({
      fullUrl: `http://ehr.example/fhir/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  });
  const scores = of('Observation').filter((o) =>
    ((o as Observation).code?.coding ?? []).some((c) => SCORE_CODES.has(`${c.system}|${c.code}`)),
  );
  return {
    patient: of('Patient').find((p) => p.id === patient.patientId) ?? null,
    encounter: of('Encounter').find((e) => e.id === patient.encounterId) ?? null,
    encounters: searchset(of('Encounter')),
    episodes: searchset(of('EpisodeOfCare')),
    carePlans: searchset(of('CarePlan')),
    scores: searchset(scores),
    responses: searchset(of('QuestionnaireResponse')),
  };
}

/** An encounter-start body; `hookInstance` is a fixed uuid (the service does not deduplicate on it). */
export function encounterStartBody(
  patient: BenchPatient,
  data: { prefetch: Record<string, unknown> } | { fhirServer: string; accessToken: string },
): Record<string, unknown> {
  return {
    hook: 'encounter-start',
    hookInstance: 'd3b07384-d113-4ec6-a5b1-4a1b2c3d4e5f',
    context: { userId: 'Practitioner/bench', patientId: patient.patientId, encounterId: patient.encounterId },
    ...('prefetch' in data
      ? { prefetch: data.prefetch }
      : {
          fhirServer: data.fhirServer,
          fhirAuthorization: { access_token: data.accessToken, token_type: 'Bearer', expires_in: 3600, scope: 'patient/*.read', subject: 'lbp-cds' },
        }),
  };
}

function resourcesOf(bundle: Bundle): Resource[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
