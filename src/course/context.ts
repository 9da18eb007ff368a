import type { CourseConfig } from './config.js';
import { courseTypeDefinition, type CourseTypeDefinition } from './course-types.js';
import { addMonthsClipped } from './dates.js';
import type {
  Consultation, ConsultationCode, ConsultationStatus, CourseType, Instrument, LocalDate, ScoreRecord,
} from './types.js';

/**
 * What every rule reads: built once per evaluation (sort once, index by code and by instrument) so that each rule
 * is a linear pass and 1,000 consultations stay far below the latency budget.
 */

/** The course's first valid entry: a 0261, or a 0110 with its same-day 0262 if there is one. */
export interface CourseEntry {
  readonly date: LocalDate;
  /** The 0110 or 0261. */
  readonly consultation: Consultation;
  /** The 0110 and its same-day 0262 together, or the 0261 alone. */
  readonly consultations: readonly Consultation[];
}

export interface RuleContext {
  readonly type?: CourseType;
  readonly definition?: CourseTypeDefinition;
  readonly config: CourseConfig;
  readonly referenceDate: LocalDate;
  /** Counted consultations sorted by date (the current one last on its day), then start, then id. */
  readonly consultations: readonly Consultation[];
  readonly byCode: ReadonlyMap<ConsultationCode, readonly Consultation[]>;
  /** Ids of counted consultations flagged current. */
  readonly currentIds: ReadonlySet<string>;
  readonly current?: Consultation;
  readonly entry?: CourseEntry;
  /** The first counted 0267. */
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
  return cmp(a.date, b.date) || cmp(a.id, b.id) || cmp(a.instrument, b.instrument) || a.value - b.value;
}

export function findEntry(sorted: readonly Consultation[]): CourseEntry | undefined {
  const first = sorted.find((c) => c.code === '0110' || c.code === '0261');
  if (!first) return undefined;
  if (first.code === '0261') return { date: first.date, consultation: first, consultations: [first] };
  const same262 = sorted.find((c) => c.code === '0262' && c.date === first.date);
  return { date: first.date, consultation: first, consultations: same262 ? [first, same262] : [first] };
}

export interface ContextInput {
  readonly type?: CourseType;
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
  const entry = findEntry(consultations);
  const anchorDate = entry?.date ?? input.episodeStart ?? consultations[0]?.date;
  const anchorSource = entry ? 'entry' : input.episodeStart ? 'episode-start' : consultations[0] ? 'first-consultation' : undefined;
  return {
    type: input.type,
    definition: input.type ? courseTypeDefinition(input.type) : undefined,
    config,
    referenceDate,
    consultations,
    byCode,
    currentIds,
    current,
    entry,
    final: byCode.get('0267')?.[0],
    anchorDate,
    anchorSource,
    scores,
    scoresByInstrument,
    scoresAvailable: input.scoresAvailable,
  };
}

export const codesOf = (ctx: RuleContext, code: ConsultationCode): readonly Consultation[] => ctx.byCode.get(code) ?? [];

export const isCurrent = (ctx: RuleContext, c: Consultation): boolean => ctx.currentIds.has(c.id) && c.current === true;

/** The individual-training window: [start, start + W months clipped], inclusive. */
export function individualTrainingWindow(ctx: RuleContext): { start: LocalDate; end: LocalDate } | undefined {
  const { anchor, windowMonths } = ctx.config.individualTraining;
  const start = anchor === 'first-0266' ? (codesOf(ctx, '0266')[0]?.date ?? ctx.anchorDate) : ctx.anchorDate;
  if (!start) return undefined;
  return { start, end: addMonthsClipped(start, windowMonths) };
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
