import type { Appointment } from 'fhir/r4.js';
import type { Definitions } from '../../course/definitions/types.js';
import { milestoneStep } from '../../course/context.js';
import type { Consultation, CourseHistory, LocalDate } from '../../course/types.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { toConsultation, toProposedConsultation } from './consultation.js';
import { courseTypeOf } from './course-type.js';
import { arr, isObject, prop, str, type JsonObject } from './guards.js';
import { parseFhirDate } from './local-date.js';
import { indexQuestionnaires } from './questionnaire-index.js';
import { parseReference } from './references.js';
import { indexResources, patientOf, type PatientCheck, type ResourceIndex } from './resource-index.js';
import { mapScores } from './scores.js';
import { splitIntoCourses } from '../../course/evaluate.js';

export type CourseHook = 'encounter-start' | 'patient-view' | 'appointment-book';

export interface CourseMappingInput {
  readonly patientId: string;
  /**
   * Other references that denote the patient besides 'Patient/<id>' (relative or absolute) and 'urn:uuid:<id>':
   * e.g. her entry's fullUrl when the resources come from a transaction Bundle whose ids differ from the uuids.
   */
  readonly patientReferences?: readonly string[];
  readonly hook: CourseHook;
  readonly currentEncounterId?: string;
  /** appointment-book: the context's proposed Appointments; those whose serviceType carries a consultation code. */
  readonly proposedAppointments?: readonly (Appointment | unknown)[];
  /** ISO instant of the request: the reference date for patient-view, and the fallback for the other hooks. */
  readonly requestInstant: string;
  readonly resources: {
    readonly encounters: readonly unknown[];
    readonly episodes: readonly unknown[];
    readonly carePlans: readonly unknown[];
    readonly observations: readonly unknown[];
    readonly questionnaireResponses: readonly unknown[];
    readonly questionnaires: readonly unknown[];
    readonly appointments?: readonly unknown[];
  };
  /** False when the scores could not be read (the EHR's server failed). */
  readonly scoresAvailable: boolean;
  /** The active course definitions (consultation codes, course types, instruments); the shipped ones by default. */
  readonly definitions: Definitions;
}

export interface CourseMapping {
  /** Undefined = no course (no episode found and no coded consultation): no rule runs, no card. */
  readonly history: CourseHistory | undefined;
  readonly referenceDate: LocalDate;
  readonly episodeId?: string;
  readonly currentConsultationId?: string;
  readonly issues: readonly DataQualityIssue[];
}

const OPEN_EPISODE_STATUSES: ReadonlySet<string> = new Set(['active', 'onhold', 'waitlist']);
const NOT_PLANNED: ReadonlySet<string> = new Set(['cancelled', 'entered-in-error']);

interface CodedEncounter {
  readonly consultation: Consultation;
  readonly episodeIds: readonly string[];
}

/** Ids of the resources of `type` that a list of References points to; '#id' contained ones are noted. */
function referencedIds(
  refs: readonly unknown[],
  type: string,
  resource: string,
  check: PatientCheck,
  issues: DataQualityIssue[],
): string[] {
  const out: string[] = [];
  for (const ref of refs) {
    const r = parseReference(ref);
    if (r.kind === 'resource' && (r.type === undefined || r.type === type)) {
      if (r.absolute) check.absoluteReferences += 1;
      out.push(r.id);
    } else if (r.kind === 'contained') {
      issues.push(dataQualityIssue('contained-resource', resource, { element: type }));
    } else if (r.kind === 'unresolvable') {
      issues.push(dataQualityIssue('unresolved-reference', resource, { element: type }));
    }
  }
  return out;
}

/** Request date; an unreadable request instant falls back to the clock, which only a broken caller reaches. */
function requestDate(instant: unknown, issues: DataQualityIssue[]): { date: LocalDate; instant: string } {
  const p = parseFhirDate(instant);
  if (p.ok && p.instant !== undefined) return { date: p.date, instant: p.instant };
  issues.push(dataQualityIssue('invalid-date', undefined, { element: 'requestInstant' }));
  const now = new Date().toISOString();
  const q = parseFhirDate(now);
  return { date: q.ok ? q.date : now.slice(0, 10), instant: now };
}

/** The start instant (or date) of an EpisodeOfCare, for ordering; undefined when its period is unusable. */
function episodeSpan(
  episode: JsonObject,
  issues: DataQualityIssue[],
): { start: LocalDate; startKey: string; end?: LocalDate } | undefined {
  const resource = `EpisodeOfCare/${str(episode, 'id') ?? ''}`;
  const s = parseFhirDate(prop(prop(episode, 'period'), 'start'));
  if (!s.ok) {
    issues.push(
      s.reason === 'missing'
        ? dataQualityIssue('missing-date', resource, { element: 'period.start' })
        : dataQualityIssue('invalid-date', resource, { element: 'period.start', reason: s.reason }),
    );
    return undefined;
  }
  const rawEnd = prop(prop(episode, 'period'), 'end');
  if (rawEnd === undefined) return { start: s.date, startKey: s.instant ?? s.date };
  const e = parseFhirDate(rawEnd);
  if (!e.ok) {
    // An unreadable end is read as open: the status already says the episode is open.
    issues.push(dataQualityIssue('invalid-date', resource, { element: 'period.end', reason: e.reason }));
    return { start: s.date, startKey: s.instant ?? s.date };
  }
  return { start: s.date, startKey: s.instant ?? s.date, end: e.date };
}

/** The patient's open EpisodeOfCare whose period contains the date (several: the latest started). */
function openEpisodeOn(episodes: ResourceIndex, date: LocalDate, issues: DataQualityIssue[]): string | undefined {
  const candidates: { id: string; startKey: string }[] = [];
  for (const ep of episodes.list) {
    const id = str(ep, 'id') as string;
    const status = str(ep, 'status');
    if (status === undefined) {
      issues.push(dataQualityIssue('missing-status', `EpisodeOfCare/${id}`));
      continue;
    }
    if (!OPEN_EPISODE_STATUSES.has(status)) continue;
    const span = episodeSpan(ep, issues);
    if (span === undefined || span.start > date || (span.end !== undefined && span.end < date)) continue;
    candidates.push({ id, startKey: span.startKey });
  }
  if (candidates.length === 0) return undefined;
  if (candidates.length > 1) {
    issues.push(dataQualityIssue('multiple-episodes', undefined, { count: candidates.length }));
    candidates.sort((a, b) => (a.startKey < b.startKey ? 1 : a.startKey > b.startKey ? -1 : 0));
  }
  return candidates[0]?.id;
}

/**
 * Which episode an Encounter that references no EpisodeOfCare belongs to (course-model.md): the episode whose period
 * holds its start date (from period.start, open-ended without an end); of several, the one with the latest
 * period.start on or before it, so that it is never counted in two courses. Episodes of any status qualify: a
 * finished episode's period still says when its consultations were.
 */
function unlinkedOwner(episodes: ResourceIndex): (c: Consultation) => string | undefined {
  const spans: { id: string; start: LocalDate; startKey: string; end?: LocalDate }[] = [];
  const ignored: DataQualityIssue[] = [];
  for (const ep of episodes.list) {
    const status = str(ep, 'status');
    if (status === 'entered-in-error') continue;
    // Period problems are reported where the episode is chosen; here they only exclude it.
    const span = episodeSpan(ep, ignored);
    if (span !== undefined) spans.push({ id: str(ep, 'id') as string, ...span });
  }
  spans.sort((a, b) => (a.startKey < b.startKey ? 1 : a.startKey > b.startKey ? -1 : 0));
  return (c) => spans.find((s) => s.start <= c.date && (s.end === undefined || c.date <= s.end))?.id;
}

/**
 * The last course by the reference date: the one holding the current consultation; else the last one opened on or
 * before the reference date (a course whose entry is only planned has not begun); else the last.
 */
function lastCourse(courses: readonly Consultation[][], referenceDate: LocalDate): Consultation[] {
  const withCurrent = courses.find((c) => c.some((x) => x.current === true));
  if (withCurrent) return withCurrent;
  for (let i = courses.length - 1; i >= 0; i -= 1) {
    const course = courses[i] as Consultation[];
    if (course.some((x) => x.date <= referenceDate)) return course;
  }
  return courses[courses.length - 1] ?? [];
}

/**
 * Maps the patient's FHIR resources onto one course (course-model.md, "How a course is found and counted").
 * Input arrays may hold anything: bad records are skipped with data-quality issues. Never throws.
 */
export function mapCourse(input: CourseMappingInput): CourseMapping {
  const issues: DataQualityIssue[] = [];
  const patientId = str(input, 'patientId') ?? '';
  const hook = str(input, 'hook');
  const aliases = new Set(arr(prop(input, 'patientReferences')).filter((r): r is string => typeof r === 'string'));
  const check: PatientCheck = { patientId, aliases, absoluteReferences: 0 };
  const res = prop(input, 'resources');
  const encounters = indexResources(prop(res, 'encounters'), 'Encounter', check, issues);
  const episodes = indexResources(prop(res, 'episodes'), 'EpisodeOfCare', check, issues);
  const carePlans = indexResources(prop(res, 'carePlans'), 'CarePlan', check, issues);
  const observations = indexResources(prop(res, 'observations'), 'Observation', check, issues);
  const responses = indexResources(prop(res, 'questionnaireResponses'), 'QuestionnaireResponse', check, issues);
  const appointments = indexResources(prop(res, 'appointments'), 'Appointment', check, issues);
  const questionnaires = indexQuestionnaires(prop(res, 'questionnaires'));
  const request = requestDate(prop(input, 'requestInstant'), issues);
  const definitions = prop(input, 'definitions') as Definitions | undefined;
  // The active definitions are configuration, not data: a caller without them is a programming error.
  if (definitions === undefined || !(definitions.codes instanceof Map)) throw new TypeError('mapCourse: the course definitions are required');

  // The current Encounter (encounter-start).
  const currentEncounterId = hook === 'encounter-start' ? str(input, 'currentEncounterId') : undefined;
  const currentEncounter = currentEncounterId === undefined ? undefined : encounters.byId.get(currentEncounterId);
  if (hook === 'encounter-start' && currentEncounter === undefined) {
    issues.push(
      dataQualityIssue('current-encounter-not-found', currentEncounterId === undefined ? undefined : `Encounter/${currentEncounterId}`),
    );
  }

  // Coded consultations, with the episodes they reference; encounter ids that booked Appointments point to.
  const coded: CodedEncounter[] = [];
  const appointmentsWithEncounter = new Set<string>();
  let currentEpisodeIds: string[] = [];
  for (const enc of encounters.list) {
    const id = str(enc, 'id') as string;
    const resource = `Encounter/${id}`;
    const isCurrent = enc === currentEncounter;
    const r = toConsultation(enc, isCurrent ? { current: true, fallbackStart: request.instant, definitions } : { definitions });
    issues.push(...r.issues);
    for (const a of referencedIds(arr(enc, 'appointment'), 'Appointment', resource, check, issues)) appointmentsWithEncounter.add(a);
    const episodeIds = referencedIds(arr(enc, 'episodeOfCare'), 'EpisodeOfCare', resource, check, issues);
    if (isCurrent) currentEpisodeIds = episodeIds;
    if (r.value !== undefined) coded.push({ consultation: r.value, episodeIds });
  }

  // The proposed Appointments (appointment-book), each evaluated as the current consultation.
  const proposed: Consultation[] = [];
  if (hook === 'appointment-book') {
    for (const a of arr(prop(input, 'proposedAppointments'))) {
      if (isObject(a) && patientOf(a, 'Appointment', check) === 'other') {
        issues.push(dataQualityIssue('other-patient', `Appointment/${str(a, 'id') ?? ''}`));
        continue;
      }
      const r = toProposedConsultation(a, { definitions });
      issues.push(...r.issues);
      if (r.value !== undefined) proposed.push(r.value);
    }
  }

  // Reference date.
  let referenceDate = request.date;
  let currentConsultationId: string | undefined;
  if (currentEncounter !== undefined) {
    const current = coded.find((c) => c.consultation.current === true);
    const start = parseFhirDate(prop(prop(currentEncounter, 'period'), 'start'));
    if (start.ok) referenceDate = start.date;
    currentConsultationId = current?.consultation.id;
  } else if (proposed[0] !== undefined) {
    referenceDate = proposed[0].date;
    currentConsultationId = proposed[0].id;
  }

  // The course: the current Encounter's episode, else the open episode on the reference date, else the split.
  let episodeId: string | undefined;
  if (currentEpisodeIds.length > 1) {
    issues.push(dataQualityIssue('multiple-episodes', `Encounter/${currentEncounterId ?? ''}`, { count: currentEpisodeIds.length }));
  }
  episodeId = currentEpisodeIds.find((id) => episodes.byId.has(id));
  if (episodeId === undefined && currentEpisodeIds[0] !== undefined) {
    issues.push(dataQualityIssue('missing-episode', `Encounter/${currentEncounterId ?? ''}`, { episode: currentEpisodeIds[0] }));
  }
  episodeId ??= openEpisodeOn(episodes, referenceDate, issues);

  let consultations: Consultation[] = [];
  if (episodeId === undefined) {
    consultations = lastCourse(splitIntoCourses([...coded.map((c) => c.consultation), ...proposed], milestoneStep(definitions.common, 'entry')), referenceDate);
    // A course found by splitting whose consultations all name one (closed) EpisodeOfCare is that episode's course:
    // its type and its consultations are then read from the episode, as for an open one.
    const inCourse = new Set(consultations);
    const named = new Set<string>();
    for (const c of coded) {
      if (!inCourse.has(c.consultation)) continue;
      for (const id of c.episodeIds) if (episodes.byId.has(id)) named.add(id);
    }
    if (named.size === 1) episodeId = [...named][0];
  }
  if (episodeId !== undefined) {
    const owner = unlinkedOwner(episodes);
    const chosen = episodeId;
    consultations = coded
      .filter((c) => c.consultation.current === true || c.episodeIds.includes(chosen) ||
        (c.episodeIds.length === 0 && owner(c.consultation) === chosen))
      .map((c) => c.consultation);
    consultations.push(...proposed);
  }

  const episode = episodeId === undefined ? undefined : episodes.byId.get(episodeId);
  const type = courseTypeOf(episode, episodeId, carePlans.list, issues, definitions);
  const scores = mapScores(observations.list, responses.list, questionnaires, issues, { definitions });

  // Booked Appointments ahead that are not the current one and have no Encounter yet: shown, never counted.
  const proposedIds = new Set(proposed.map((p) => p.id));
  const planned: Consultation[] = [];
  for (const a of appointments.list) {
    const id = str(a, 'id') as string;
    if (proposedIds.has(id) || appointmentsWithEncounter.has(id)) continue;
    const r = toProposedConsultation(a, { current: false, definitions });
    issues.push(...r.issues);
    if (r.value !== undefined && !NOT_PLANNED.has(r.value.status) && r.value.date >= referenceDate) planned.push(r.value);
  }

  if (check.absoluteReferences > 0) {
    issues.push(dataQualityIssue('absolute-reference', undefined, { count: check.absoluteReferences }));
  }

  const mapping: { -readonly [K in keyof CourseMapping]: CourseMapping[K] } = { history: undefined, referenceDate, issues };
  if (episodeId !== undefined) mapping.episodeId = episodeId;
  if (currentConsultationId !== undefined) mapping.currentConsultationId = currentConsultationId;
  if (episodeId === undefined && consultations.length === 0) return mapping;

  const history: { -readonly [K in keyof CourseHistory]: CourseHistory[K] } = {
    consultations,
    scores,
    scoresAvailable: prop(input, 'scoresAvailable') !== false,
    hasEpisode: episodeId !== undefined,
  };
  if (type !== undefined) history.type = type;
  if (episodeId !== undefined) history.episodeId = episodeId;
  // The engine anchors windows at the episode's start while the course has no valid entry yet.
  const episodeStart = episode === undefined ? undefined : parseFhirDate(prop(prop(episode, 'period'), 'start'));
  if (episodeStart?.ok === true) history.episodeStart = episodeStart.date;
  if (planned.length > 0) history.planned = planned;
  mapping.history = history;
  return mapping;
}
