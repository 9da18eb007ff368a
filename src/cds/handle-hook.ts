import type { Appointment, Bundle, Resource } from 'fhir/r4.js';
import type { CourseConfig } from '../course/config.js';
import { evaluateCourse } from '../course/evaluate.js';
import type { Evaluation } from '../course/types.js';
import { createFhirReader, type FhirReader } from '../fhir/reader/fhir-reader.js';
import { isFhirForbiddenOriginError } from '../fhir/reader/errors.js';
import { resolvePrefetch, type PrefetchOutcome } from '../fhir/prefetch.js';
import { mapCourse } from '../fhir/map/map-course.js';
import { unknownQuestionnaireUrls } from '../fhir/map/questionnaires.js';
import type { DataQualityIssue } from '../fhir/data-quality.js';
import { buildCards } from './cards/build-cards.js';
import type { CardRenderer } from './cards/card-renderer.js';
import { DataUnobtainableError, ForbiddenFhirServerError, InvalidRequestError, UnknownServiceError } from './errors.js';
import { ResourceLimitError } from './limit-errors.js';
import { fhirServerRefusal, type Caller, type FhirServerPolicy } from './fhir-server-policy.js';
import type { CdsCard, CdsRequest } from './protocol-types.js';
import { validateHookRequest } from './schemas.js';
import { findService, prefetchOf, type CdsServiceSpec, type PrefetchKey } from './services.js';
import { incompletePagingReason, unobtainableReason } from './unobtainable-reason.js';
import { isUnknownPatient, unknownPatientCard } from './unknown-patient.js';

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
  /** The log's stand-in for a patient id (a keyed hash): the id itself may be a CPR number. */
  readonly hashPatient: (patientId: string) => string;
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
  /** What is left of the deadline when the call did not start at once (it queued for a worker thread). */
  readonly remainingMs?: number;
  /** The service's own base URL, as called: a questionnaire app URL configured as a path is made absolute on it. */
  readonly serviceBaseUrl?: string;
}

/**
 * Entries per page asked of the FHIR server (the sandbox's and many servers' maximum; a server caps it at its own):
 * a 1,000-consultation history is one round trip, a 5,000 one two waves (see fhir/reader/offset-paging.ts).
 */
export const FHIR_PAGE_SIZE = 1000;

export interface HookResult {
  readonly cards: CdsCard[];
  /** Facts for the log line: ids, counts and timings only. */
  readonly log: {
    readonly hook: string;
    readonly hookInstance: string;
    /** A keyed hash of the patient id, never the id. */
    readonly patient: string;
    readonly fetched: number;
    readonly issues: number;
    readonly topics: string[];
    readonly fhirMs: number;
    /** No Patient resource for the id: the app logs a warning (cards: development only). */
    readonly unknownPatient?: true;
    /**
     * What ran in a hook worker thread (see hook-runner.ts), when anything did: the whole call, or the mapping,
     * evaluation and cards of data the event loop read.
     */
    readonly thread?: 'call' | 'data';
  };
}

export async function handleHook(call: HookCall, deps: HookDeps): Promise<HookResult> {
  const gathered = await gatherHookData(call, deps);
  return 'answer' in gathered ? gathered.answer : cardsFromData(gathered.data, deps);
}

/**
 * What a call read, as plain data (it can be handed to a worker thread): everything `cardsFromData` needs to map,
 * evaluate and render without reading anything more.
 */
export interface HookData {
  readonly serviceId: string;
  readonly lang: 'da' | 'en';
  readonly hookInstance: string;
  readonly patientId: string;
  /** The context's encounterId, when it has one. */
  readonly encounterId?: string;
  /** appointment-book: the proposed Appointments of the context. */
  readonly proposed: Appointment[];
  readonly serviceBaseUrl?: string;
  readonly resources: {
    readonly encounters: Resource[];
    readonly episodes: Resource[];
    readonly carePlans: Resource[];
    readonly observations: Resource[];
    readonly questionnaireResponses: Resource[];
    readonly questionnaires: Resource[];
  };
  readonly scoresAvailable: boolean;
  readonly extraIssues: DataQualityIssue[];
  /** FHIR requests sent, and the time spent reading (for the log line). */
  readonly fetched: number;
  readonly fhirMs: number;
}

/** The resources a call's data holds: what mapping, evaluation and cards grow with. */
export function resourceCount(data: HookData): number {
  return Object.values(data.resources).reduce((n, list) => n + list.length, 0);
}

/**
 * The first half of a call: validate -> resolve prefetch (fetching what is missing). Either the call's answer (an
 * unknown patient) or its data; a failure is thrown as the CdsError it is.
 */
export async function gatherHookData(call: HookCall, deps: HookDeps): Promise<{ answer: HookResult } | { data: HookData }> {
  const service = findService(call.serviceId);
  if (!service) throw new UnknownServiceError(call.serviceId);
  const schemaIssues = validateHookRequest(service.hook, call.body);
  if (schemaIssues.length > 0) throw new InvalidRequestError(schemaIssues);
  const request = call.body as CdsRequest;
  const context = request.context as unknown as Record<string, unknown>;
  const patientId = String(context.patientId);

  // The deadline counts from the call's start (less any time it queued for a worker thread), but its timer is armed
  // only by a first FHIR request: most calls come with their prefetch and read nothing.
  const started = performance.now();
  const deadlineMs = call.remainingMs ?? deps.deadlineMs;
  const signal = (): AbortSignal => AbortSignal.timeout(Math.max(1, Math.ceil(deadlineMs - (performance.now() - started))));
  const reader = readerFor(request, call.caller, deps, signal);
  const fhirStart = performance.now();
  const outcomes = await resolvePrefetch({
    templates: prefetchOf(service, deps.courseConfig.definitions),
    prefetch: request.prefetch as Record<string, unknown> | undefined,
    context,
    ...(reader ? { reader } : {}),
  });

  // A server that cannot be read is a 412 first: only a readable server's 404 for the Patient means "unknown".
  const explain = { fhirServer: request.fhirServer, deadlineMs: deps.deadlineMs };
  const encounters = required(outcomes, 'encounters', explain);
  const episodes = required(outcomes, 'episodes', explain);
  if (isUnknownPatient(outcomes.patient)) {
    const cards = deps.policy.mode === 'production' ? [] : [unknownPatientCard(call.lang, deps.newId)];
    return { answer: { cards, log: { hook: service.hook, hookInstance: request.hookInstance, patient: deps.hashPatient(patientId), fetched: reader?.requests ?? 0, issues: 0, topics: [], fhirMs: 0, unknownPatient: true } } };
  }
  const current = service.hook === 'encounter-start' ? optional(outcomes.encounter, 'encounter') : { resources: [] as Resource[], ok: true };
  const carePlans = optional(outcomes.carePlans, 'carePlans');
  const scores = optional(outcomes.scores, 'scores');
  const responses = optional(outcomes.responses, 'responses');
  const extraIssues: DataQualityIssue[] = [];
  if (!carePlans.ok) extraIssues.push({ kind: 'careplans-unavailable' } as DataQualityIssue);

  // Questionnaires we do not know by URL are fetched (in parallel, inside the same deadline) so their answers can
  // be scored from the Questionnaire's own ordinal values.
  const questionnaires = reader ? await fetchQuestionnaires(reader, responses.resources, deps) : [];
  return {
    data: {
      serviceId: service.id,
      lang: call.lang,
      hookInstance: request.hookInstance,
      patientId,
      ...(typeof context.encounterId === 'string' ? { encounterId: context.encounterId } : {}),
      proposed: service.hook === 'appointment-book' ? proposedAppointments(context.appointments) : [],
      ...(call.serviceBaseUrl ? { serviceBaseUrl: call.serviceBaseUrl } : {}),
      resources: {
        encounters: dedupe([...current.resources, ...encounters]),
        episodes,
        carePlans: carePlans.resources,
        observations: scores.resources,
        questionnaireResponses: responses.resources,
        questionnaires,
      },
      scoresAvailable: scores.ok && responses.ok,
      extraIssues,
      fetched: reader?.requests ?? 0,
      fhirMs: performance.now() - fhirStart,
    },
  };
}

/** The second half of a call: map onto the course model -> evaluate -> cards. Reads nothing; pure CPU. */
export function cardsFromData(data: HookData, deps: HookDeps): HookResult {
  const service = findService(data.serviceId);
  if (!service) throw new UnknownServiceError(data.serviceId);
  const requestInstant = deps.now().toISOString();
  const mappings = (data.proposed.length > 0 ? data.proposed.map((a) => [a]) : [[]]).map((appointments) =>
    mapCourse({
      patientId: data.patientId,
      hook: service.hook,
      ...(data.encounterId !== undefined && service.hook === 'encounter-start' ? { currentEncounterId: data.encounterId } : {}),
      proposedAppointments: appointments,
      requestInstant,
      resources: data.resources,
      scoresAvailable: data.scoresAvailable,
      definitions: deps.courseConfig.definitions,
    }),
  );

  const cards: CdsCard[] = [];
  let issueCount = 0;
  for (const mapping of mappings) {
    const issues = [...data.extraIssues, ...mapping.issues];
    issueCount += issues.length;
    const evaluation: Evaluation | undefined = mapping.history
      ? evaluateCourse(mapping.history, mapping.referenceDate, deps.courseConfig)
      : undefined;
    if (!evaluation || !evaluation.hasCourse) continue;
    const built = buildCards(evaluation, {
      lang: data.lang,
      renderer: deps.renderer,
      newId: deps.newId,
      patientId: data.patientId,
      // Tasks may point at the consultation's Encounter; in appointment-book the current consultation is a
      // proposed Appointment, never an Encounter, so only the context's own encounterId is used.
      ...(data.encounterId !== undefined ? { encounterId: data.encounterId } : {}),
      issues,
      ...appUrl(deps.questionnaireAppUrl, data.serviceBaseUrl),
      definitions: deps.courseConfig.definitions,
    });
    // Several proposed Appointments in one appointment-book call: each is checked as the consultation being booked,
    // but the course's status (next consultation, past findings) is the same for all; only the first evaluation
    // gives it, the others add just what their own Appointment causes (its warnings).
    cards.push(...(cards.length === 0 ? built : built.filter((card) => card.indicator === 'warning')));
  }
  deps.onCardsIssued?.({ serviceId: service.id, hookInstance: data.hookInstance, cards });
  return {
    cards,
    log: {
      hook: service.hook,
      hookInstance: data.hookInstance,
      patient: deps.hashPatient(data.patientId),
      fetched: data.fetched,
      issues: issueCount,
      topics: cards.map((c) => c.source.topic?.code ?? ''),
      fhirMs: Math.round(data.fhirMs * 10) / 10,
    },
  };
}

function readerFor(request: CdsRequest, caller: Caller, deps: HookDeps, signal: () => AbortSignal): FhirReader | undefined {
  if (!request.fhirServer) return undefined;
  const notBase = notABaseUrl(request.fhirServer);
  if (notBase) throw new InvalidRequestError([{ path: 'fhirServer', message: `fhirServer ${notBase}` }]);
  const refusal = fhirServerRefusal(request.fhirServer, caller, deps.policy);
  if (refusal) throw new ForbiddenFhirServerError(refusal.reason, { fix: refusal.fix });
  try {
    return createFhirReader({
      fhirServer: request.fhirServer,
      ...(request.fhirAuthorization?.access_token ? { accessToken: request.fhirAuthorization.access_token } : {}),
      signal,
      pageSize: FHIR_PAGE_SIZE,
    });
  } catch (error) {
    // The reader's own check of the base; the one above should have caught it, but a refusal is the caller's fault.
    if (isFhirForbiddenOriginError(error)) {
      throw new InvalidRequestError([{ path: 'fhirServer', message: 'fhirServer must be a plain http(s) base URL' }], { cause: error });
    }
    throw error;
  }
}

/**
 * A FHIR base is scheme, host, port and path. A query or fragment would be dropped when queries are resolved
 * against it (so the allowlist would have checked a different URL from the one used), and user info would be sent
 * beside our bearer token: each is the caller's mistake, a 400 naming the field.
 */
function notABaseUrl(fhirServer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(fhirServer);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.username || url.password || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(fhirServer)) return 'must not contain user info (user:password@)';
  if (url.search || fhirServer.includes('?')) return 'must not contain a query (?...)';
  if (url.hash || fhirServer.includes('#')) return 'must not contain a fragment (#...)';
  return undefined;
}

/** The questionnaire app's URL for the cards: a path (the embedded app) is absolute on the service's base URL. */
function appUrl(configured: string | undefined, serviceBaseUrl: string | undefined): { questionnaireAppUrl?: string } {
  if (!configured) return {};
  if (configured.startsWith('/')) return serviceBaseUrl ? { questionnaireAppUrl: `${serviceBaseUrl}${configured}` } : {};
  return { questionnaireAppUrl: configured };
}

/** Data without which no honest answer is possible: a failure is a 412, never a guess. */
function required(
  outcomes: Record<string, PrefetchOutcome>,
  key: PrefetchKey,
  explain: { fhirServer: string | undefined; deadlineMs: number },
): Resource[] {
  const outcome = outcomes[key];
  if (!outcome) throw new DataUnobtainableError([{ key, reason: 'no prefetch and no FHIR server to fetch it from' }]);
  if (outcome.status === 'none') return [];
  if (outcome.status === 'failed') {
    throw new DataUnobtainableError([{ key, reason: unobtainableReason(outcome, explain.fhirServer, explain.deadlineMs) }]);
  }
  refuseOverLimit(key, outcome);
  // A history cut short (a `next` link looping or leaving the server, a bound hit) would make the limits count too
  // few consultations: that is a guess, so it is a 412 like any other failure.
  if (outcome.truncated) throw new DataUnobtainableError([{ key, reason: incompletePagingReason(explain.fhirServer) }]);
  return outcome.resources;
}

/** A search stopped at one of the reader's bounds: the call is too large, and the answer says which limit. */
function refuseOverLimit(key: string, outcome: PrefetchOutcome | undefined): void {
  if (outcome?.status === 'ok' && outcome.bound) {
    throw new ResourceLimitError(key, outcome.bound.kind, outcome.bound.limit, outcome.bound.found);
  }
}

function optional(outcome: PrefetchOutcome | undefined, key: string): { ok: boolean; resources: Resource[] } {
  refuseOverLimit(key, outcome);
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
