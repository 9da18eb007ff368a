import type { CourseConfig } from './config.js';
import { buildContext, compareConsultations, isVoid, milestoneStep, openingCodes, type RuleContext } from './context.js';
import { isLocalDate } from './dates.js';
import type { StepDefinition } from './definitions/types.js';
import { nextConsultation } from './next-consultation.js';
import { summarizeOutcome } from './outcome.js';
import { courseProgress } from './progress.js';
import { courseEntry } from './rules/course-entry.js';
import { courseTypeUnknown } from './rules/course-type-unknown.js';
import { exceptionReminder } from './rules/exception-reminder.js';
import { finalConsultation } from './rules/final-consultation.js';
import { followUpTiming } from './rules/follow-up-timing.js';
import { limitFindings } from './rules/limits.js';
import { milestoneInstruments } from './rules/milestone-instruments.js';
import { onePerDay } from './rules/one-per-day.js';
import { outcomeChange } from './rules/outcome-change.js';
import {
  RULE_IDS,
  type Consultation, type CourseHistory, type EngineDataIssue, type Evaluation, type Finding, type LocalDate,
  type RuleId, type ScoreRecord,
} from './types.js';

export type Rule = (ctx: RuleContext) => Finding[];

/**
 * Every finding rule, in the order of course-model.md's table, each a generic kind parameterised by the course's
 * definition (next-consultation answers recommendations).
 */
export const RULES: ReadonlyArray<readonly [Exclude<RuleId, 'next-consultation'>, Rule]> = [
  ['course-entry', courseEntry],
  ['education-limit', (ctx) => limitFindings(ctx, 'education-limit')],
  ['individual-education-exception', exceptionReminder],
  ['individual-training-limit', (ctx) => limitFindings(ctx, 'individual-training-limit')],
  ['group-training-frequency', (ctx) => limitFindings(ctx, 'group-training-frequency')],
  ['one-per-day', onePerDay],
  ['final-consultation', finalConsultation],
  ['follow-up-timing', followUpTiming],
  ['missing-baseline-scores', (ctx) => milestoneInstruments(ctx, 'entry')],
  ['missing-final-scores', (ctx) => milestoneInstruments(ctx, 'final')],
  ['follow-up-scores', (ctx) => milestoneInstruments(ctx, 'follow-up')],
  ['outcome-change', outcomeChange],
  ['course-type-unknown', courseTypeUnknown],
];

export class InvalidReferenceDateError extends Error {
  override readonly name = 'InvalidReferenceDateError';
  constructor(readonly referenceDate: unknown, options?: { cause?: unknown }) {
    super(`The reference date must be a local date 'YYYY-MM-DD'`, options);
  }
}

const isScore = (s: ScoreRecord): boolean =>
  (typeof s.value === 'number' && Number.isFinite(s.value)) ||
  (s.value === undefined && (s.subscales ?? []).length > 0 && (s.subscales ?? []).every((x) => Number.isFinite(x.value)));

/** The mapping layer should hand over sound records; anything unsound is skipped here and reported, never thrown. */
function sanitize(history: CourseHistory, config: CourseConfig): {
  consultations: Consultation[]; scores: ScoreRecord[]; issues: EngineDataIssue[];
} {
  const { codes, instruments } = config.definitions;
  const issues: EngineDataIssue[] = [];
  const consultations: Consultation[] = [];
  for (const c of history.consultations) {
    if (!codes.has(c.code)) {
      issues.push({ code: 'unknown-code', recordId: c.id, message: 'Consultation code not in the catalogue; skipped' });
    } else if (!isLocalDate(c.date)) {
      issues.push({ code: 'invalid-date', recordId: c.id, message: 'Consultation date is not a local date; skipped' });
    } else consultations.push(c);
  }
  const scores: ScoreRecord[] = [];
  for (const s of history.scores) {
    if (!instruments.has(s.instrument)) {
      issues.push({ code: 'unknown-instrument', recordId: s.id, message: 'Score of an unknown instrument; skipped' });
    } else if (!isLocalDate(s.date)) {
      issues.push({ code: 'invalid-date', recordId: s.id, message: 'Score date is not a local date; skipped' });
    } else if (!isScore(s)) {
      issues.push({ code: 'invalid-value', recordId: s.id, message: 'Score value is not a finite number; skipped' });
    } else scores.push(s);
  }
  return { consultations, scores, issues };
}

const EMPTY_OUTCOME = { baseline: {}, latest: {}, changes: [] } as const;

/**
 * The engine's one entry point: every rule of course-model.md over one course, at one reference date, by the
 * course type's definition. Pure: the same history, date and config always give the same evaluation, whatever the
 * input order.
 */
export function evaluateCourse(
  history: CourseHistory,
  referenceDate: LocalDate,
  config: CourseConfig,
): Evaluation {
  if (!isLocalDate(referenceDate)) throw new InvalidReferenceDateError(referenceDate);
  const { consultations, scores, issues } = sanitize(history, config);
  const known = history.type !== undefined ? config.definitions.courses.get(history.type) : undefined;
  const type = known ? history.type : undefined;
  const definition = known ?? config.definitions.common;
  const episodeStart = history.episodeStart !== undefined && isLocalDate(history.episodeStart) ? history.episodeStart : undefined;
  const ctx = buildContext(
    { ...(type !== undefined ? { type } : {}), definition, consultations, scores, scoresAvailable: history.scoresAvailable !== false, ...(episodeStart ? { episodeStart } : {}) },
    referenceDate,
    config,
  );
  // Cancelled and entered-in-error consultations alone never make a course: they were never held.
  const hasCourse =
    history.hasEpisode === true || episodeStart !== undefined || ctx.consultations.length > 0 ||
    consultations.some((c) => !isVoid(c));
  const typeFact = type !== undefined ? { type } : {};
  if (!hasCourse) {
    return {
      referenceDate, hasCourse: false, ...typeFact, progress: { counts: {}, facts: {} },
      recommendations: [], findings: [], outcome: EMPTY_OUTCOME, dataQuality: issues,
    };
  }
  const findings: Finding[] = [];
  for (const [id, rule] of RULES) if (config.rules[id] !== false) findings.push(...rule(ctx));
  const progress = courseProgress(ctx);
  // Booked appointments are shown beside the progress, never counted.
  const planned = (history.planned ?? [])
    .filter((c) => config.definitions.codes.has(c.code) && isLocalDate(c.date) && !isVoid(c))
    .sort(compareConsultations)
    .map((c) => ({ id: c.id, code: c.code, date: c.date, status: c.status }));
  const switchedOff = RULE_IDS.filter((id) => config.rules[id] === false);
  return {
    referenceDate,
    hasCourse: true,
    ...typeFact,
    ...(switchedOff.length > 0 ? { switchedOff } : {}),
    progress: planned.length > 0 ? { ...progress, facts: { ...progress.facts, planned } } : progress,
    recommendations: config.rules['next-consultation'] !== false ? nextConsultation(ctx) : [],
    findings,
    outcome: summarizeOutcome(ctx),
    dataQuality: issues,
  };
}

/**
 * The fallback when no EpisodeOfCare exists: the patient's coded consultations split into courses at each opening
 * code of the entry step (common to every course); a same-day companion joins the opening code of its day.
 * Consultations before the first entry form a course of their own (so the course-entry rule can say they lack an
 * entry). Void consultations travel along but never open a course.
 */
export function splitIntoCourses(
  consultations: readonly Consultation[],
  entryStep: StepDefinition | undefined,
): Consultation[][] {
  const sorted = [...consultations].sort(compareConsultations);
  const openers = new Set(openingCodes(entryStep));
  const companions = entryStep?.companions ?? {};
  const opens = (c: Consultation): boolean => openers.has(c.code) && !isVoid(c);
  const courses: Consultation[][] = [];
  let course: Consultation[] = [];
  let opener: Consultation | undefined;
  let pending: Consultation[] = [];
  for (const c of sorted) {
    if (opens(c)) {
      // A companion sorted before its same-day partner belongs to the new course, not the previous one.
      const carried = pending.filter((p) => p.date === c.date && companions[p.code] === c.code);
      const stay = course.filter((p) => !carried.includes(p));
      if (stay.length > 0) courses.push(stay);
      course = [...carried, c];
      opener = c;
      pending = [];
      continue;
    }
    course.push(c);
    const partner = companions[c.code];
    if (partner !== undefined && !(opener && opener.code === partner && opener.date === c.date)) pending.push(c);
  }
  if (course.length > 0) courses.push(course);
  return courses;
}
