import type { Appointment, Bundle, Resource } from 'fhir/r4.js';
import type { CourseConfig } from '../course/config.js';
import { evaluateCourse } from '../course/evaluate.js';
import type { Evaluation } from '../course/types.js';
import { createFhirReader, type FhirReader } from '../fhir/reader/fhir-reader.js';
import { resolvePrefetch, type PrefetchOutcome } from '../fhir/prefetch.js';
import { mapCourse } from '../fhir/map/map-course.js';
import { unknownQuestionnaireUrls } from '../fhir/map/questionnaires.js';
import type { DataQualityIssue } from '../fhir/data-quality.js';
import { buildCards } from './cards/build-cards.js';
import type { CardRenderer } from './cards/card-renderer.js';
import { DataUnobtainableError, ForbiddenFhirServerError, InvalidRequestError, UnknownServiceError } from './errors.js';
import { fhirServerRefusal, type Caller, type FhirServerPolicy } from './fhir-server-policy.js';
import type { CdsCard, CdsRequest } from './protocol-types.js';
import { validateHookRequest } from './schemas.js';
import { findService, type CdsServiceSpec, type PrefetchKey } from './services.js';

/**
 * One hook call, from a parsed body to cards. Knows nothing of express: `createApp` adapts it. The flow walks one
 * way: validate -> resolve prefetch (fetching what is missing) -> map onto the course model -> evaluate -> cards.
 */

export interface HookDeps {
  readonly courseConfig: CourseConfig;
  readonly renderer: CardRenderer;
  readonly policy: FhirServerPolicy;
  readonly deadlineMs: number;
  readonly now: () => Date;
  readonly newId: () => string;
  /** SMART questionnaire app for missing-score cards, when configured. */
  readonly questionnaireAppUrl?: string;
  /** Optional: called with the cards issued, for feedback analytics. */
  readonly onCardsIssued?: (info: { serviceId: string; hookInstance: string; cards: readonly CdsCard[] }) => void;
}

export interface HookCall {
  readonly serviceId: string;
  readonly body: unknown;
  readonly lang: 'da' | 'en';
  readonly caller: Caller;
}

export interface HookResult {
  readonly cards: CdsCard[];
  /** Facts for the log line: ids, counts and timings only. */
  readonly log: {
    readonly hook: string;
    readonly hookInstance: string;
    readonly patientId: string;
    readonly fetched: number;
    readonly issues: number;
    readonly topics: string[];
    readonly fhirMs: number;
  };
}

export async function handleHook(call: HookCall, deps: HookDeps): Promise<HookResult> {
  const service = findService(call.serviceId);
  if (!service) throw new UnknownServiceError(call.serviceId);
  const schemaIssues = validateHookRequest(service.hook, call.body);
  if (schemaIssues.length > 0) throw new InvalidRequestError(schemaIssues);
  const request = call.body as CdsRequest;
  const context = request.context as unknown as Record<string, unknown>;
  const patientId = String(context.patientId);

  const signal = AbortSignal.timeout(deps.deadlineMs);
  const reader = readerFor(request, call.caller, deps, signal);
  const fhirStart = performance.now();
  const outcomes = await resolvePrefetch({
    templates: templatesFor(service),
    prefetch: request.prefetch as Record<string, unknown> | undefined,
    context,
    ...(reader ? { reader } : {}),
  });

  const encounters = required(outcomes, 'encounters');
  const episodes = required(outcomes, 'episodes');
  const current = service.hook === 'encounter-start' ? optional(outcomes.encounter) : { resources: [] as Resource[], ok: true };
  const carePlans = optional(outcomes.carePlans);
  const scores = optional(outcomes.scores);
  const responses = optional(outcomes.responses);
  const extraIssues: DataQualityIssue[] = [];
  if (!carePlans.ok) extraIssues.push({ kind: 'careplans-unavailable' } as DataQualityIssue);

  // Questionnaires we do not know by URL are fetched (in parallel, inside the same deadline) so their answers can
  // be scored from the Questionnaire's own ordinal values.
  const questionnaires = reader ? await fetchQuestionnaires(reader, responses.resources, deps) : [];
  const fhirMs = performance.now() - fhirStart;

  const requestInstant = deps.now().toISOString();
  const proposed = service.hook === 'appointment-book' ? proposedAppointments(context.appointments) : [];
  const mappings = (proposed.length > 0 ? proposed.map((a) => [a]) : [[]]).map((appointments) =>
    mapCourse({
      patientId,
      hook: service.hook,
      ...(typeof context.encounterId === 'string' && service.hook === 'encounter-start'
        ? { currentEncounterId: context.encounterId }
        : {}),
      proposedAppointments: appointments,
      requestInstant,
      resources: {
        encounters: dedupe([...current.resources, ...encounters]),
        episodes,
        carePlans: carePlans.resources,
        observations: scores.resources,
        questionnaireResponses: responses.resources,
        questionnaires,
      },
      scoresAvailable: scores.ok && responses.ok,
      definitions: deps.courseConfig.definitions,
    }),
  );

  const cards: CdsCard[] = [];
  let issueCount = 0;
  for (const mapping of mappings) {
    const issues = [...extraIssues, ...mapping.issues];
    issueCount += issues.length;
    const evaluation: Evaluation | undefined = mapping.history
      ? evaluateCourse(mapping.history, mapping.referenceDate, deps.courseConfig)
      : undefined;
    if (!evaluation || !evaluation.hasCourse) continue;
    const built = buildCards(evaluation, {
      lang: call.lang,
      renderer: deps.renderer,
      newId: deps.newId,
      patientId,
      // Tasks may point at the consultation's Encounter; in appointment-book the current consultation is a
      // proposed Appointment, never an Encounter, so only the context's own encounterId is used.
      ...(typeof context.encounterId === 'string' ? { encounterId: context.encounterId } : {}),
      issues,
      ...(deps.questionnaireAppUrl ? { questionnaireAppUrl: deps.questionnaireAppUrl } : {}),
      definitions: deps.courseConfig.definitions,
    });
    // Several proposed Appointments in one appointment-book call: each is checked as the consultation being booked,
    // but the course's status (next consultation, past findings) is the same for all; only the first evaluation
    // gives it, the others add just what their own Appointment causes (its warnings).
    cards.push(...(cards.length === 0 ? built : built.filter((card) => card.indicator === 'warning')));
  }
  deps.onCardsIssued?.({ serviceId: service.id, hookInstance: request.hookInstance, cards });
  return {
    cards,
    log: {
      hook: service.hook,
      hookInstance: request.hookInstance,
      patientId,
      fetched: reader?.requests ?? 0,
      issues: issueCount,
      topics: cards.map((c) => c.source.topic?.code ?? ''),
      fhirMs: Math.round(fhirMs * 10) / 10,
    },
  };
}

function readerFor(request: CdsRequest, caller: Caller, deps: HookDeps, signal: AbortSignal): FhirReader | undefined {
  if (!request.fhirServer) return undefined;
  const refusal = fhirServerRefusal(request.fhirServer, caller, deps.policy);
  if (refusal) throw new ForbiddenFhirServerError(refusal);
  return createFhirReader({
    fhirServer: request.fhirServer,
    ...(request.fhirAuthorization?.access_token ? { accessToken: request.fhirAuthorization.access_token } : {}),
    signal,
  });
}

function templatesFor(service: CdsServiceSpec): Record<string, string> {
  return Object.fromEntries(Object.entries(service.prefetch).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Data without which no honest answer is possible: a failure is a 412, never a guess. */
function required(outcomes: Record<string, PrefetchOutcome>, key: PrefetchKey): Resource[] {
  const outcome = outcomes[key];
  if (!outcome) throw new DataUnobtainableError([{ key, reason: 'no prefetch and no FHIR server to fetch it from' }]);
  if (outcome.status === 'none') return [];
  if (outcome.status === 'failed') throw new DataUnobtainableError([{ key, reason: outcome.reason }]);
  // A history cut short (a `next` link looping or leaving the server, a bound hit) would make the limits count too
  // few consultations: that is a guess, so it is a 412 like any other failure.
  if (outcome.truncated) throw new DataUnobtainableError([{ key, reason: 'incomplete-paging' }]);
  return outcome.resources;
}

function optional(outcome: PrefetchOutcome | undefined): { ok: boolean; resources: Resource[] } {
  // Truncated counts as unreadable: part of the scores read must not become a claim that the rest is missing.
  if (!outcome || outcome.status === 'failed' || (outcome.status === 'ok' && outcome.truncated)) return { ok: false, resources: [] };
  if (outcome.status === 'none') return { ok: true, resources: [] };
  return { ok: true, resources: outcome.resources };
}

/** The current Encounter is read both alone and in the patient's list: keep one copy (id-less ones all stay). */
function dedupe(resources: Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    if (r.id === undefined) return true;
    const key = `${r.resourceType}/${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function proposedAppointments(bundle: unknown): Appointment[] {
  const entries = (bundle as Bundle | undefined)?.entry ?? [];
  return entries
    .map((e) => e.resource)
    .filter((r): r is Appointment => r?.resourceType === 'Appointment');
}

async function fetchQuestionnaires(reader: FhirReader, responses: Resource[], deps: HookDeps): Promise<Resource[]> {
  const urls = unknownQuestionnaireUrls(responses, [], deps.courseConfig.definitions).slice(0, 5);
  // Encoded inside the async callback: a URL from the record with a lone surrogate makes encodeURIComponent throw,
  // which must become one more settled failure, not a 500.
  const settled = await Promise.allSettled(urls.map(async (url) => reader.search(`Questionnaire?url=${encodeURIComponent(url)}`)));
  return settled.flatMap((s) => (s.status === 'fulfilled' ? s.value.resources : []));
}
