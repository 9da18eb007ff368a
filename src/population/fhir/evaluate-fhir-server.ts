/**
 * The FHIR-server input: the patients with an EpisodeOfCare (paged search), then each patient's resources read
 * with the same prefetch queries as the patient-view hook, a bounded number of patients in parallel. Every request
 * goes through src/fhir/reader: the token only to the server's origin and base path, `next` links checked, bounds
 * and a deadline per patient. A patient whose data cannot be read is counted as unreadable, never silently dropped.
 */
import type { Resource } from 'fhir/r4.js';
import { findService, prefetchOf } from '../../cds/services.js';
import { resolvePrefetch, type PrefetchOutcome } from '../../fhir/prefetch.js';
import { unknownQuestionnaireUrls } from '../../fhir/map/questionnaires.js';
import { DEFAULT_COURSE_CONFIG } from '../../fhir/definitions/shipped.js';
import type { Definitions } from '../../course/index.js';
import { createFhirReader, type FhirReader } from '../../fhir/reader/fhir-reader.js';
import { addPatient, createPartial, type PartialResult, type PopulationOptions } from '../population-result.js';
import { emptyPatientResources, type PatientResources } from '../patient-resources.js';
import { patientIdOf } from '../ndjson/patient-of.js';

export interface FhirServerRun {
  readonly fhirServer: string;
  readonly accessToken?: string;
  /** Patients read at the same time. */
  readonly concurrency?: number;
  /** Deadline for one patient's reads. */
  readonly patientDeadlineMs?: number;
  /** Deadline for the search that lists the patients. */
  readonly listDeadlineMs?: number;
  /** 'episodes' (default): patients with an EpisodeOfCare; 'patients': every Patient (finds courses kept as Encounters only). */
  readonly patientSource?: 'episodes' | 'patients';
  readonly onTotal?: (patients: number) => void;
  readonly onProgress?: (delta: { patients: number }) => void;
  /** Hashed ids and reasons of unreadable patients, for the log. */
  readonly onUnreadable?: (info: { reason: string }) => void;
}

export const FHIR_POPULATION_DEFAULTS = {
  concurrency: 4,
  patientDeadlineMs: 10_000,
  listDeadlineMs: 60_000,
  /** Bounds of the listing search: pages of 200, at most this many resources. */
  maxListResources: 200_000,
} as const;

export class PopulationListError extends Error {
  override readonly name = 'PopulationListError';
}

/** Lists patient ids: `_elements` keeps the pages small; servers that ignore it still answer correctly. */
async function listPatients(run: FhirServerRun): Promise<string[]> {
  const reader = createFhirReader({
    fhirServer: run.fhirServer,
    ...(run.accessToken ? { accessToken: run.accessToken } : {}),
    signal: AbortSignal.timeout(run.listDeadlineMs ?? FHIR_POPULATION_DEFAULTS.listDeadlineMs),
    maxPages: Math.ceil(FHIR_POPULATION_DEFAULTS.maxListResources / 200) + 1,
    maxResources: FHIR_POPULATION_DEFAULTS.maxListResources,
  });
  const query = run.patientSource === 'patients' ? 'Patient?_elements=id&_count=200' : 'EpisodeOfCare?_elements=patient&_count=200';
  const result = await reader.search(query);
  if (result.truncated) {
    throw new PopulationListError(`the patient list is incomplete (${result.notes.join('; ')}); nothing was evaluated`);
  }
  const ids = new Set<string>();
  for (const r of result.resources) {
    const id = patientIdOf(r);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

const templates = (definitions: Definitions): Record<string, string> => {
  const service = findService('lbp-patient-view');
  if (!service) throw new Error('the patient-view service is not registered');
  const { patient: _patient, ...rest } = prefetchOf(service, definitions);
  return { ...rest, appointments: 'Appointment?patient={{context.patientId}}&_count=200' };
};

function usable(outcome: PrefetchOutcome | undefined): { ok: boolean; resources: Resource[] } {
  if (!outcome || outcome.status === 'failed' || (outcome.status === 'ok' && outcome.truncated)) return { ok: false, resources: [] };
  return { ok: true, resources: outcome.status === 'none' ? [] : outcome.resources };
}

/** One patient's resources, read as the patient-view hook reads them; a string (the reason) when unreadable. */
async function readPatient(reader: FhirReader, patientId: string, queries: Record<string, string>, definitions: Definitions): Promise<PatientResources | string> {
  const outcomes = await resolvePrefetch({ templates: queries, prefetch: undefined, context: { patientId }, reader });
  const encounters = usable(outcomes.encounters);
  const episodes = usable(outcomes.episodes);
  // As in the hook: without the Encounters and EpisodeOfCare there is no honest answer.
  if (!encounters.ok || !episodes.ok) return !encounters.ok ? 'encounters unreadable' : 'episodes unreadable';
  const scores = usable(outcomes.scores);
  const responses = usable(outcomes.responses);
  const r = emptyPatientResources(patientId);
  r.encounters.push(...encounters.resources);
  r.episodes.push(...episodes.resources);
  r.carePlans.push(...usable(outcomes.carePlans).resources);
  r.observations.push(...scores.resources);
  r.questionnaireResponses.push(...responses.resources);
  r.appointments.push(...usable(outcomes.appointments).resources);
  const urls = unknownQuestionnaireUrls(responses.resources, [], definitions).slice(0, 5);
  const settled = await Promise.allSettled(urls.map(async (url) => reader.search(`Questionnaire?url=${encodeURIComponent(url)}`)));
  for (const s of settled) if (s.status === 'fulfilled') r.questionnaires.push(...s.value.resources);
  return { ...r, scoresAvailable: scores.ok && responses.ok };
}

export async function evaluateFhirServer(run: FhirServerRun, options: PopulationOptions): Promise<PartialResult> {
  const ids = await listPatients(run);
  run.onTotal?.(ids.length);
  const partial = createPartial(options);
  const definitions = (options.config ?? DEFAULT_COURSE_CONFIG).definitions;
  const queries = templates(definitions);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const patientId = ids[next] as string;
      next += 1;
      const reader = createFhirReader({
        fhirServer: run.fhirServer,
        ...(run.accessToken ? { accessToken: run.accessToken } : {}),
        signal: AbortSignal.timeout(run.patientDeadlineMs ?? FHIR_POPULATION_DEFAULTS.patientDeadlineMs),
      });
      const read = await readPatient(reader, patientId, queries, definitions).catch((error: unknown) => (error as Error).name ?? 'error');
      if (typeof read === 'string') {
        partial.patients += 1;
        partial.unreadable += 1;
        run.onUnreadable?.({ reason: read });
      } else {
        addPatient(partial, read, options);
      }
      run.onProgress?.({ patients: 1 });
    }
  };
  const concurrency = Math.max(1, run.concurrency ?? FHIR_POPULATION_DEFAULTS.concurrency);
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, ids.length)) }, worker));
  return partial;
}
