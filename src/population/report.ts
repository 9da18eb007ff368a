/**
 * The quality report per course type and period (the cohort of courses whose entry falls in the period). Built as
 * a mergeable accumulator: partial results from separate jobs add up to exactly the report of the whole, so the
 * job can be split by input file. Definitions: README section "Worklist and quality report".
 */
import { addDays, type CourseType, type Definitions, type Instrument, type LocalDate } from '../course/index.js';
import { LIMIT_RULES, type CourseFacts, type LimitRule } from './course-facts.js';

export const PERIODS = ['month', 'quarter', 'year', 'all'] as const;
export type Period = (typeof PERIODS)[number];

/** Raw sums and value lists of one (course type, period) group; JSON, so it can cross threads and files. */
export interface GroupAccumulator {
  courseType: CourseType | null;
  period: string;
  started: number;
  finished: number;
  baseline: { complete: number; of: number };
  final: { complete: number; of: number };
  /** Per instrument: every change at the 0267, and how many were a clinically important improvement. */
  change: Record<Instrument, { values: number[]; importantImprovement: number }>;
  lengthDays: number[];
  /** Per follow-up target (months): held on time, of the targets whose outcome is known. */
  followUp: Record<string, { onTime: number; of: number }>;
  limitFindings: Partial<Record<LimitRule, number>>;
}

/** The order of the report's instruments and course types: the definitions' (plain JSON, so it crosses threads). */
export interface ReportOrder {
  instruments: Instrument[];
  courseTypes: CourseType[];
}

export interface ReportAccumulator {
  period: Period;
  order: ReportOrder;
  groups: Record<string, GroupAccumulator>;
}

export function reportOrder(definitions: Definitions): ReportOrder {
  return { instruments: [...definitions.instruments.keys()], courseTypes: [...definitions.courses.keys()] };
}

export function createReportAccumulator(period: Period, order: ReportOrder): ReportAccumulator {
  return { period, order, groups: {} };
}

/** The period a date falls in: '2026-11', '2026-Q4', '2026', or 'all'. */
export function periodOf(date: LocalDate | undefined, period: Period): string {
  if (period === 'all') return 'all';
  if (date === undefined) return 'unknown';
  const year = date.slice(0, 4);
  if (period === 'year') return year;
  if (period === 'month') return date.slice(0, 7);
  return `${year}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

function emptyGroup(courseType: CourseType | null, period: string, instruments: readonly Instrument[]): GroupAccumulator {
  return {
    courseType, period, started: 0, finished: 0, baseline: { complete: 0, of: 0 }, final: { complete: 0, of: 0 },
    change: Object.fromEntries(instruments.map((i) => [i, { values: [] as number[], importantImprovement: 0 }])),
    lengthDays: [], followUp: {}, limitFindings: {},
  };
}

const groupKey = (type: CourseType | null, period: string): string => `${type ?? 'unknown'}|${period}`;

function groupFor(acc: ReportAccumulator, type: CourseType | null, period: string): GroupAccumulator {
  const key = groupKey(type, period);
  let g = acc.groups[key];
  if (!g) {
    g = emptyGroup(type, period, acc.order.instruments);
    acc.groups[key] = g;
  }
  return g;
}

/** Adds one course. Courses that have not begun by the reference date are not in any cohort. */
export function addCourse(acc: ReportAccumulator, f: CourseFacts): void {
  if (f.anchorDate !== undefined && f.anchorDate > f.referenceDate) return;
  const g = groupFor(acc, f.courseType, periodOf(f.entryDate ?? f.anchorDate, acc.period));
  g.started += 1;
  if (f.finalDate !== undefined) g.finished += 1;
  if (f.baselineComplete !== undefined) {
    g.baseline.of += 1;
    if (f.baselineComplete) g.baseline.complete += 1;
  }
  if (f.finalComplete !== undefined) {
    g.final.of += 1;
    if (f.finalComplete) g.final.complete += 1;
  }
  for (const c of f.finalChanges) {
    const slot = (g.change[c.instrument] ??= { values: [], importantImprovement: 0 });
    slot.values.push(c.change);
    if (c.improved && c.clinicallyImportant) slot.importantImprovement += 1;
  }
  if (f.courseLengthDays !== undefined) g.lengthDays.push(f.courseLengthDays);
  for (const t of f.followUpTargets) {
    // Known once a 0268 is matched to the target, or once its tolerance has passed without one.
    const closed = t.heldDate !== undefined || addDays(t.date, f.followUpToleranceDays) < f.referenceDate;
    if (!closed) continue;
    const slot = (g.followUp[String(t.months)] ??= { onTime: 0, of: 0 });
    slot.of += 1;
    if (t.onTime === true) slot.onTime += 1;
  }
  for (const lf of f.limitFindings) g.limitFindings[lf.ruleId] = (g.limitFindings[lf.ruleId] ?? 0) + 1;
}

/** Adds `from` into `into` (both of the same period kind). */
export function mergeReportAccumulators(into: ReportAccumulator, from: ReportAccumulator): ReportAccumulator {
  if (into.period !== from.period) throw new Error(`cannot merge reports by ${into.period} and by ${from.period}`);
  for (const [key, g] of Object.entries(from.groups)) {
    const t = (into.groups[key] ??= emptyGroup(g.courseType, g.period, into.order.instruments));
    t.started += g.started;
    t.finished += g.finished;
    t.baseline.complete += g.baseline.complete;
    t.baseline.of += g.baseline.of;
    t.final.complete += g.final.complete;
    t.final.of += g.final.of;
    for (const [i, c] of Object.entries(g.change)) {
      const slot = (t.change[i] ??= { values: [], importantImprovement: 0 });
      for (const v of c.values) slot.values.push(v);
      slot.importantImprovement += c.importantImprovement;
    }
    for (const v of g.lengthDays) t.lengthDays.push(v);
    for (const [m, s] of Object.entries(g.followUp)) {
      const slot = (t.followUp[m] ??= { onTime: 0, of: 0 });
      slot.onTime += s.onTime;
      slot.of += s.of;
    }
    for (const r of LIMIT_RULES) {
      const n = g.limitFindings[r];
      if (n !== undefined) t.limitFindings[r] = (t.limitFindings[r] ?? 0) + n;
    }
  }
  return into;
}

// ---- the finished report ----

export interface Share {
  readonly n: number;
  readonly of: number;
  /** n / of, rounded to 3 decimals; null when `of` is 0. */
  readonly share: number | null;
}

export interface Distribution {
  readonly n: number;
  readonly mean: number | null;
  readonly median: number | null;
}

export interface ReportGroup {
  readonly courseType: CourseType | null;
  readonly period: string;
  readonly started: number;
  readonly finished: number;
  readonly open: number;
  readonly baselineScoresComplete: Share;
  readonly finalScoresComplete: Share;
  readonly change: Readonly<Record<Instrument, Distribution & { readonly importantImprovement: Share }>>;
  readonly courseLengthDays: Distribution;
  /** Keyed by the target's months ('3', '9'). */
  readonly followUpOnTime: Readonly<Record<string, Share>>;
  readonly limitFindingsPer100: number | null;
  readonly limitFindings: Readonly<Partial<Record<LimitRule, number>>>;
}

export interface QualityReport {
  readonly period: Period;
  /** One group per course type and period, and one per course type over all periods (period 'all'). */
  readonly groups: readonly ReportGroup[];
}

const round = (n: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function share(n: number, of: number): Share {
  return { n, of, share: of === 0 ? null : round(n / of, 3) };
}

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { n: 0, mean: null, median: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { n: sorted.length, mean: round(mean, 1), median: round(median, 1) };
}

function finishGroup(g: GroupAccumulator): ReportGroup {
  const limitTotal = Object.values(g.limitFindings).reduce((a, b) => a + (b ?? 0), 0);
  return {
    courseType: g.courseType,
    period: g.period,
    started: g.started,
    finished: g.finished,
    open: g.started - g.finished,
    baselineScoresComplete: share(g.baseline.complete, g.baseline.of),
    finalScoresComplete: share(g.final.complete, g.final.of),
    change: Object.fromEntries(Object.entries(g.change).map(([i, c]) => [i, {
      ...distribution(c.values),
      importantImprovement: share(c.importantImprovement, c.values.length),
    }])),
    courseLengthDays: distribution(g.lengthDays),
    followUpOnTime: Object.fromEntries(
      Object.entries(g.followUp).sort((a, b) => Number(a[0]) - Number(b[0])).map(([m, s]) => [m, share(s.onTime, s.of)]),
    ),
    limitFindingsPer100: g.started === 0 ? null : round((limitTotal * 100) / g.started, 1),
    limitFindings: Object.fromEntries(LIMIT_RULES.filter((r) => g.limitFindings[r] !== undefined).map((r) => [r, g.limitFindings[r]])),
  };
}

export function finishReport(acc: ReportAccumulator): QualityReport {
  const groups = Object.values(acc.groups);
  const totals = createReportAccumulator('all', acc.order);
  // The definitions' order of course types, others by name, unknown last.
  const rank = (t: CourseType | null): number => (t === null ? Number.MAX_SAFE_INTEGER : acc.order.courseTypes.indexOf(t) >>> 0);
  for (const g of groups) {
    mergeReportAccumulators(totals, { period: 'all', order: acc.order, groups: { [groupKey(g.courseType, 'all')]: { ...g, period: 'all' } } });
  }
  const byOrder = (a: GroupAccumulator, b: GroupAccumulator): number =>
    rank(a.courseType) - rank(b.courseType) || String(a.courseType).localeCompare(String(b.courseType)) || (a.period < b.period ? -1 : a.period > b.period ? 1 : 0);
  const perPeriod = acc.period === 'all' ? [] : groups.sort(byOrder);
  return {
    period: acc.period,
    groups: [...perPeriod.map(finishGroup), ...Object.values(totals.groups).sort(byOrder).map(finishGroup)],
  };
}
