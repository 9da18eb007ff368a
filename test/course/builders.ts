import { addDays, type CourseConfig } from '../../src/course/index.js';
import type {
  Consultation, ConsultationCode, ConsultationStatus, CourseHistory, CourseType, Evaluation, Finding, Instrument,
  LocalDate, PsfsActivityScore, RuleId, ScoreRecord,
} from '../../src/course/index.js';
import { evaluateCourse } from '../support/engine.js';

/** Small builders for course histories: every test states only what matters to it. */

let nextId = 0;
const id = (prefix: string): string => `${prefix}-${(nextId += 1)}`;

export function consult(
  code: ConsultationCode, date: LocalDate, opts: { status?: ConsultationStatus; current?: boolean; start?: string; id?: string } = {},
): Consultation {
  return {
    id: opts.id ?? id(`c${code}`),
    code,
    date,
    status: opts.status ?? 'finished',
    ...(opts.current ? { current: true } : {}),
    ...(opts.start ? { start: opts.start } : {}),
  };
}

/** The consultation being started now (encounter-start): in-progress and current. */
export const now = (code: ConsultationCode, date: LocalDate, opts: { start?: string; id?: string } = {}): Consultation =>
  consult(code, date, { ...opts, status: 'in-progress', current: true });

export function score(
  instrument: Instrument, date: LocalDate, value: number, activities?: readonly PsfsActivityScore[],
): ScoreRecord {
  return { id: id(`s${instrument}`), instrument, date, value, ...(activities ? { activities } : {}) };
}

/** Every instrument on one date: a complete set of questionnaires. */
export const allScores = (date: LocalDate, odi = 40, psfs = 4, nprs = 6): ScoreRecord[] => [
  score('odi', date, odi), score('psfs', date, psfs), score('nprs', date, nprs),
];

export function course(
  type: CourseType | undefined,
  consultations: readonly Consultation[],
  scores: readonly ScoreRecord[] = [],
  extra: Partial<CourseHistory> = {},
): CourseHistory {
  return { ...(type ? { type } : {}), consultations, scores, ...extra };
}

/** Evaluates with the last consultation of the list as the current one, at its date. */
export function evaluateAtLast(
  type: CourseType | undefined, consultations: readonly Consultation[], scores: readonly ScoreRecord[] = [],
  config?: CourseConfig,
): Evaluation {
  const last = consultations[consultations.length - 1];
  if (!last) throw new Error('no consultation');
  const list = [...consultations.slice(0, -1), { ...last, current: true, status: 'in-progress' as const }];
  return evaluateCourse(course(type, list, scores), last.date, config);
}

export const findingsOf = (ev: Evaluation, ruleId: RuleId): Finding[] => ev.findings.filter((f) => f.ruleId === ruleId);

export const warnings = (ev: Evaluation): Finding[] => ev.findings.filter((f) => f.severity === 'warning');

/** A run of consultations of one code on the given day offsets from `start`. */
export function series(code: ConsultationCode, start: LocalDate, offsets: readonly number[]): Consultation[] {
  return offsets.map((d) => consult(code, addDays(start, d)));
}

/** A compliant entry with complete baseline questionnaires a few days before it. */
export function entryWithScores(date: LocalDate): { entry: Consultation; scores: ScoreRecord[] } {
  return { entry: consult('0110', date), scores: allScores(addDays(date, -3)) };
}
