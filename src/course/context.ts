import type { CourseConfig } from './config.js';
import { addDays, addMonthsClipped } from './dates.js';
import type { CourseDefinition, InstrumentDefinition, LimitDefinition, Milestone, StepDefinition } from './definitions/types.js';
import type {
  Consultation, ConsultationCode, ConsultationStatus, CourseType, Instrument, LocalDate, ScoreRecord,
} from './types.js';

/**
 * What every rule reads: built once per evaluation (sort once, index by code and by instrument) so that each rule
 * is a linear pass and 1,000 consultations stay far below the latency budget. The course's definition (its steps,
 * limits and milestones) travels with it: rules name no code, type or instrument of their own.
 */

/** The course's first valid entry: an opening code of the entry step, with its same-day companion if any. */
export interface CourseEntry {
  readonly date: LocalDate;
  /** The opening consultation (the 0110 or 0261 of the low-back-pain courses). */
  readonly consultation: Consultation;
  /** The opening consultation and its same-day companion together, or the opening one alone. */
  readonly consultations: readonly Consultation[];
}

export interface RuleContext {
  readonly type?: CourseType;
  /** The course type's definition, or the common one when the type is unknown. */
  readonly definition: CourseDefinition;
  readonly instruments: ReadonlyMap<string, InstrumentDefinition>;
  readonly config: CourseConfig;
  readonly referenceDate: LocalDate;
  /** Counted consultations sorted by date (the current one last on its day), then start, then id. */
  readonly consultations: readonly Consultation[];
  readonly byCode: ReadonlyMap<ConsultationCode, readonly Consultation[]>;
  /** Ids of counted consultations flagged current. */
  readonly currentIds: ReadonlySet<string>;
  readonly current?: Consultation;
  readonly entry?: CourseEntry;
  /** The first counted consultation of the final step. */
  readonly final?: Consultation;
  /** Anchor for date windows: the entry, else the episode's start, else the first counted consultation. */
  readonly anchorDate?: LocalDate;
  readonly anchorSource?: 'entry' | 'episode-start' | 'first-consultation';
  /** Scores dated on or before the reference date, sorted by date then id. */
  readonly scores: readonly ScoreRecord[];
  readonly scoresByInstrument: ReadonlyMap<Instrument, readonly ScoreRecord[]>;
  readonly scoresAvailable: boolean;
}

const COUNTED_STATUSES: ReadonlySet<ConsultationStatus> = new Set([
  'arrived', 'triaged', 'in-progress', 'onleave', 'finished',
]);
const VOID_STATUSES: ReadonlySet<ConsultationStatus> = new Set(['cancelled', 'entered-in-error']);

/** Counts under course-model.md: a held consultation on or before the reference date, or the current one. */
export function isCounted(c: Consultation, referenceDate: LocalDate): boolean {
  if (VOID_STATUSES.has(c.status)) return false;
  if (c.current === true) return true;
  return COUNTED_STATUSES.has(c.status) && c.date <= referenceDate;
}

export const isVoid = (c: Consultation): boolean => VOID_STATUSES.has(c.status);

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A total order, so the result never depends on input order. Within a day the current consultation comes last: it
 * is the one being added now, after whatever was already held that day.
 */
export function compareConsultations(a: Consultation, b: Consultation): number {
  return (
    cmp(a.date, b.date) ||
    Number(a.current === true) - Number(b.current === true) ||
    cmp(a.start ?? '', b.start ?? '') ||
    cmp(a.id, b.id) ||
    cmp(a.code, b.code) ||
    cmp(a.status, b.status)
  );
}

export function compareScores(a: ScoreRecord, b: ScoreRecord): number {
  return cmp(a.date, b.date) || cmp(a.id, b.id) || cmp(a.instrument, b.instrument) || (a.value ?? 0) - (b.value ?? 0);
}

export const milestoneStep = (definition: CourseDefinition, m: Milestone): StepDefinition | undefined =>
  definition.steps.find((s) => s.milestone === m);

/** Codes of the entry step that open a course (every code that is not a same-day companion of another). */
export function openingCodes(entry: StepDefinition | undefined): readonly string[] {
  return entry ? entry.codes.filter((c) => entry.companions[c] === undefined) : [];
}

export function findEntry(sorted: readonly Consultation[], entryStep: StepDefinition | undefined): CourseEntry | undefined {
  const opens = openingCodes(entryStep);
  const first = sorted.find((c) => opens.includes(c.code));
  if (!first || !entryStep) return undefined;
  const companions = Object.entries(entryStep.companions).filter(([, partner]) => partner === first.code).map(([c]) => c);
  const same = sorted.find((c) => companions.includes(c.code) && c.date === first.date);
  return { date: first.date, consultation: first, consultations: same ? [first, same] : [first] };
}

export interface ContextInput {
  readonly type?: CourseType;
  readonly definition: CourseDefinition;
  readonly consultations: readonly Consultation[];
  readonly scores: readonly ScoreRecord[];
  readonly scoresAvailable: boolean;
  readonly episodeStart?: LocalDate;
}

export function buildContext(input: ContextInput, referenceDate: LocalDate, config: CourseConfig): RuleContext {
  const consultations = input.consultations.filter((c) => isCounted(c, referenceDate)).sort(compareConsultations);
  const byCode = new Map<ConsultationCode, Consultation[]>();
  const currentIds = new Set<string>();
  let current: Consultation | undefined;
  for (const c of consultations) {
    const list = byCode.get(c.code);
    if (list) list.push(c);
    else byCode.set(c.code, [c]);
    if (c.current === true) {
      currentIds.add(c.id);
      current = c;
    }
  }
  const scores = input.scores.filter((s) => s.date <= referenceDate).sort(compareScores);
  const scoresByInstrument = new Map<Instrument, ScoreRecord[]>();
  for (const s of scores) {
    const list = scoresByInstrument.get(s.instrument);
    if (list) list.push(s);
    else scoresByInstrument.set(s.instrument, [s]);
  }
  const { definition } = input;
  const entry = findEntry(consultations, milestoneStep(definition, 'entry'));
  const finalCodes = milestoneStep(definition, 'final')?.codes ?? [];
  const final = consultations.find((c) => finalCodes.includes(c.code));
  const anchorDate = entry?.date ?? input.episodeStart ?? consultations[0]?.date;
  const anchorSource = entry ? 'entry' : input.episodeStart ? 'episode-start' : consultations[0] ? 'first-consultation' : undefined;
  return {
    ...(input.type !== undefined ? { type: input.type } : {}),
    definition,
    instruments: config.definitions.instruments,
    config,
    referenceDate,
    consultations,
    byCode,
    currentIds,
    ...(current ? { current } : {}),
    ...(entry ? { entry } : {}),
    ...(final ? { final } : {}),
    ...(anchorDate ? { anchorDate } : {}),
    ...(anchorSource ? { anchorSource } : {}),
    scores,
    scoresByInstrument,
    scoresAvailable: input.scoresAvailable,
  };
}

export const codesOf = (ctx: RuleContext, code: ConsultationCode): readonly Consultation[] => ctx.byCode.get(code) ?? [];

/** Counted consultations of any of the codes, in course order. */
export function ofCodes(ctx: RuleContext, codes: readonly ConsultationCode[]): readonly Consultation[] {
  if (codes.length === 1) return codesOf(ctx, codes[0] as string);
  const set = new Set(codes);
  return ctx.consultations.filter((c) => set.has(c.code));
}

export const isCurrent = (ctx: RuleContext, c: Consultation): boolean => ctx.currentIds.has(c.id) && c.current === true;

/** A window limit's [start, end], inclusive: from the entry (or the first of its codes) for W months or D days. */
export function limitWindow(ctx: RuleContext, limit: LimitDefinition): { start: LocalDate; end: LocalDate } | undefined {
  const start = limit.anchor === 'first' ? (ofCodes(ctx, limit.codes)[0]?.date ?? ctx.anchorDate) : ctx.anchorDate;
  if (!start) return undefined;
  if (limit.windowMonths !== undefined) return { start, end: addMonthsClipped(start, limit.windowMonths) };
  if (limit.windowDays !== undefined) return { start, end: addDays(start, limit.windowDays) };
  return undefined;
}

/** The latest score of an instrument dated within [from, to]: binary search over the sorted list. */
export function latestScoreWithin(
  ctx: RuleContext, instrument: Instrument, from: LocalDate, to: LocalDate,
): ScoreRecord | undefined {
  const list = ctx.scoresByInstrument.get(instrument);
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as ScoreRecord).date <= to) lo = mid + 1;
    else hi = mid;
  }
  const candidate = list[lo - 1];
  return candidate && candidate.date >= from ? candidate : undefined;
}
