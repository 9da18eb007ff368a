import { DEFAULT_COURSE_CONFIG, type CourseConfig } from './config.js';
import { buildContext, compareConsultations, isVoid, type RuleContext } from './context.js';
import { isLocalDate } from './dates.js';
import { nextConsultation } from './next-consultation.js';
import { summarizeOutcome } from './outcome.js';
import { courseProgress } from './progress.js';
import { courseEntry } from './rules/course-entry.js';
import { courseTypeUnknown } from './rules/course-type-unknown.js';
import { educationLimit } from './rules/education-limit.js';
import { finalConsultation } from './rules/final-consultation.js';
import { followUpScores } from './rules/follow-up-scores.js';
import { followUpTiming } from './rules/follow-up-timing.js';
import { groupTrainingFrequency } from './rules/group-training-frequency.js';
import { individualEducationException } from './rules/individual-education-exception.js';
import { individualTrainingLimit } from './rules/individual-training-limit.js';
import { missingBaselineScores } from './rules/missing-baseline-scores.js';
import { missingFinalScores } from './rules/missing-final-scores.js';
import { onePerDay } from './rules/one-per-day.js';
import { outcomeChange } from './rules/outcome-change.js';
import {
  CONSULTATION_CODES, COURSE_TYPES, INSTRUMENTS, RULE_IDS,
  type Consultation, type CourseHistory, type EngineDataIssue, type Evaluation, type Finding, type LocalDate,
  type RuleId, type ScoreRecord,
} from './types.js';

export type Rule = (ctx: RuleContext) => Finding[];

/** Every finding rule, in the order of course-model.md's table (next-consultation answers recommendations). */
export const RULES: ReadonlyArray<readonly [Exclude<RuleId, 'next-consultation'>, Rule]> = [
  ['course-entry', courseEntry],
  ['education-limit', educationLimit],
  ['individual-education-exception', individualEducationException],
  ['individual-training-limit', individualTrainingLimit],
  ['group-training-frequency', groupTrainingFrequency],
  ['one-per-day', onePerDay],
  ['final-consultation', finalConsultation],
  ['follow-up-timing', followUpTiming],
  ['missing-baseline-scores', missingBaselineScores],
  ['missing-final-scores', missingFinalScores],
  ['follow-up-scores', followUpScores],
  ['outcome-change', outcomeChange],
  ['course-type-unknown', courseTypeUnknown],
];

export class InvalidReferenceDateError extends Error {
  override readonly name = 'InvalidReferenceDateError';
  constructor(readonly referenceDate: unknown, options?: { cause?: unknown }) {
    super(`The reference date must be a local date 'YYYY-MM-DD'`, options);
  }
}

const CODES: ReadonlySet<string> = new Set(CONSULTATION_CODES);
const INSTRUMENT_SET: ReadonlySet<string> = new Set(INSTRUMENTS);
const TYPES: ReadonlySet<string> = new Set(COURSE_TYPES);

/** The mapping layer should hand over sound records; anything unsound is skipped here and reported, never thrown. */
function sanitize(history: CourseHistory): {
  consultations: Consultation[]; scores: ScoreRecord[]; issues: EngineDataIssue[];
} {
  const issues: EngineDataIssue[] = [];
  const consultations: Consultation[] = [];
  for (const c of history.consultations) {
    if (!CODES.has(c.code)) {
      issues.push({ code: 'unknown-code', recordId: c.id, message: 'Consultation code not in the catalogue; skipped' });
    } else if (!isLocalDate(c.date)) {
      issues.push({ code: 'invalid-date', recordId: c.id, message: 'Consultation date is not a local date; skipped' });
    } else consultations.push(c);
  }
  const scores: ScoreRecord[] = [];
  for (const s of history.scores) {
    if (!INSTRUMENT_SET.has(s.instrument)) {
      issues.push({ code: 'unknown-instrument', recordId: s.id, message: 'Score of an unknown instrument; skipped' });
    } else if (!isLocalDate(s.date)) {
      issues.push({ code: 'invalid-date', recordId: s.id, message: 'Score date is not a local date; skipped' });
    } else if (typeof s.value !== 'number' || !Number.isFinite(s.value)) {
      issues.push({ code: 'invalid-value', recordId: s.id, message: 'Score value is not a finite number; skipped' });
    } else scores.push(s);
  }
  return { consultations, scores, issues };
}

const EMPTY_OUTCOME = { baseline: {}, latest: {}, changes: [] } as const;

/**
 * The engine's one entry point: every rule of course-model.md over one course, at one reference date. Pure: the
 * same history, date and config always give the same evaluation, whatever the input order.
 */
export function evaluateCourse(
  history: CourseHistory,
  referenceDate: LocalDate,
  config: CourseConfig = DEFAULT_COURSE_CONFIG,
): Evaluation {
  if (!isLocalDate(referenceDate)) throw new InvalidReferenceDateError(referenceDate);
  const { consultations, scores, issues } = sanitize(history);
  const type = history.type !== undefined && TYPES.has(history.type) ? history.type : undefined;
  const episodeStart = history.episodeStart !== undefined && isLocalDate(history.episodeStart) ? history.episodeStart : undefined;
  const ctx = buildContext(
    { type, consultations, scores, scoresAvailable: history.scoresAvailable !== false, episodeStart },
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
    .filter((c) => CODES.has(c.code) && isLocalDate(c.date) && !isVoid(c))
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
 * The fallback when no EpisodeOfCare exists: the patient's coded consultations split into courses at each 0110 or
 * 0261; a 0262 joins the 0110 of its day. Consultations before the first entry form a course of their own (so the
 * course-entry rule can say they lack an entry). Void consultations travel along but never open a course.
 */
export function splitIntoCourses(consultations: readonly Consultation[]): Consultation[][] {
  const sorted = [...consultations].sort(compareConsultations);
  const opens = (c: Consultation): boolean => (c.code === '0110' || c.code === '0261') && !isVoid(c);
  const courses: Consultation[][] = [];
  let course: Consultation[] = [];
  let entryDay: string | undefined;
  let pending262: Consultation[] = [];
  for (const c of sorted) {
    if (opens(c)) {
      // A 0262 sorted before its same-day 0110 belongs to the new course, not the previous one.
      const carried = pending262.filter((p) => p.date === c.date);
      const stay = course.filter((p) => !carried.includes(p));
      if (stay.length > 0) courses.push(stay);
      course = [...carried, c];
      entryDay = c.code === '0110' ? c.date : undefined;
      pending262 = [];
      continue;
    }
    course.push(c);
    if (c.code === '0262' && c.date !== entryDay) pending262.push(c);
  }
  if (course.length > 0) courses.push(course);
  return courses;
}
