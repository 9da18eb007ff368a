import type { Definitions } from '../../course/definitions/types.js';
import type { Evaluation, FactValue, Facts } from '../../course/types.js';
import type { CardLanguage } from './card-language.js';
import { factRows, pickFacts, type FactRow } from './fact-text.js';
import { isLocalDateText } from './format.js';

/**
 * The next-consultation card's view: ranked recommendations with their facts, counts against limits, and the
 * course's progress. Named facts are copied only when they have the expected type; the rest are listed as text.
 */

const REC_NUMBER_FACTS = ['count', 'plan', 'limit', 'toleranceDays'] as const;
const REC_DATE_FACTS = ['targetDate', 'earliest', 'latest', 'dueDate', 'notBefore', 'windowEnd'] as const;
/** Engine bookkeeping a physiotherapist does not need on the card. */
const REC_HIDDEN_FACTS = new Set(['step', 'trigger', 'alternative', 'targetMonths', 'windowStart', 'finalDate']);
const KNOWN_TEXT = ['finalCode', 'followUpCode'] as const;

export type RecommendationView = {
  readonly code: string;
  readonly rank: number;
  readonly reason: string;
  readonly isRecommended: boolean;
  /** Other codes for the same step (e.g. 0265 beside 0263). */
  readonly alternatives: readonly string[];
  readonly otherFacts: readonly FactRow[];
} & { readonly [K in (typeof REC_NUMBER_FACTS)[number]]?: number } & {
  readonly [K in (typeof REC_DATE_FACTS)[number]]?: string;
};

const PROGRESS_NUMBER_FACTS = ['followUpCount', 'followUpLimit', 'followUpToleranceDays'] as const;
const PROGRESS_DATE_FACTS = ['finalDueDate'] as const;
const PROGRESS_BOOLEAN_FACTS = ['finalDue', 'courseComplete'] as const;
const PROGRESS_HIDDEN_FACTS = new Set([
  'courseType', 'currentStep', 'anchorDate', 'anchorSource', 'limits', 'followUpTargets', 'finalCode', 'followUpCode',
]);

/** One limit of the course with its count: "Patientuddannelse (0263, 0265): 1 af 2". */
export interface LimitProgressView {
  readonly codes: readonly string[];
  readonly kind: string;
  readonly max: number;
  /** A limit over several codes is named by its step ("Patientuddannelse"), in the card's language. */
  readonly stepTitle?: string;
  readonly count?: number;
  readonly windowStart?: string;
  readonly windowEnd?: string;
}

export type ProgressView = {
  readonly followUpTargets: readonly string[];
  readonly limits: readonly LimitProgressView[];
  readonly finalCode?: string;
  readonly followUpCode?: string;
  readonly otherFacts: readonly FactRow[];
} & { readonly [K in (typeof PROGRESS_NUMBER_FACTS)[number]]?: number } & {
  readonly [K in (typeof PROGRESS_DATE_FACTS)[number]]?: string;
} & { readonly [K in (typeof PROGRESS_BOOLEAN_FACTS)[number]]: boolean };

export interface CountView {
  readonly code: string;
  readonly count: number;
  readonly limit?: number;
}



function stringsIn(value: FactValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? (value as readonly FactValue[]).filter((v): v is string => typeof v === 'string') : [];
}

export function recommendationView(
  rec: Evaluation['recommendations'][number], first: boolean, lang: CardLanguage, defs: Definitions,
): RecommendationView {
  const view: Record<string, unknown> = {};
  const used = pickFacts(rec.facts, REC_NUMBER_FACTS, REC_DATE_FACTS, view);
  return {
    ...view,
    code: rec.code,
    rank: rec.rank,
    reason: rec.reason,
    isRecommended: first,
    alternatives: stringsIn(rec.facts['alternatives']),
    otherFacts: factRows(rec.facts, lang, new Set([...used, ...REC_HIDDEN_FACTS, 'alternatives']), defs),
  } as RecommendationView;
}

function limitViews(value: FactValue | undefined, stepTitle: (limitId: string) => string | undefined = () => undefined): LimitProgressView[] {
  if (!Array.isArray(value)) return [];
  return (value as readonly FactValue[]).flatMap((v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
    const l = v as { readonly [k: string]: FactValue };
    if (typeof l.max !== 'number' || typeof l.kind !== 'string') return [];
    const codes = stringsIn(l.codes);
    const title = codes.length > 1 && typeof l.id === 'string' ? stepTitle(l.id) : undefined;
    return [{
      codes, kind: l.kind, max: l.max, ...(title ? { stepTitle: title } : {}),
      ...(typeof l.count === 'number' ? { count: l.count } : {}),
      ...(typeof l.windowStart === 'string' && isLocalDateText(l.windowStart) ? { windowStart: l.windowStart } : {}),
      ...(typeof l.windowEnd === 'string' && isLocalDateText(l.windowEnd) ? { windowEnd: l.windowEnd } : {}),
    }];
  });
}

export function progressView(facts: Facts, lang: CardLanguage, defs: Definitions): ProgressView {
  const view: Record<string, unknown> = {};
  const used = pickFacts(facts, PROGRESS_NUMBER_FACTS, PROGRESS_DATE_FACTS, view);
  for (const key of PROGRESS_BOOLEAN_FACTS) {
    view[key] = facts[key] === true;
    used.add(key);
  }
  for (const key of KNOWN_TEXT) if (typeof facts[key] === 'string') view[key] = facts[key];
  return {
    ...view,
    limits: limitViews(facts['limits'], (id) => {
      const type = facts['courseType'];
      const definition = (typeof type === 'string' ? defs.courses.get(type) : undefined) ?? defs.common;
      const step = definition.steps.find((s) => s.id === definition.limits.find((l) => l.id === id)?.step);
      return step?.title?.[lang];
    }),
    followUpTargets: stringsIn(facts['followUpTargets']).filter(isLocalDateText),
    otherFacts: factRows(facts, lang, new Set([...used, ...PROGRESS_HIDDEN_FACTS]), defs),
  } as unknown as ProgressView;
}

/** Counts per code, with the limit of the code when one limit counts that code alone (per course or per window). */
export function countViews(evaluation: Evaluation, defs: Definitions): CountView[] {
  const limits = limitViews(evaluation.progress.facts['limits']);
  const limitOf = (code: string): number | undefined =>
    limits.find((l) => l.kind !== 'per-iso-week' && l.codes.length === 1 && l.codes[0] === code)?.max ??
    (code === evaluation.progress.facts['followUpCode'] && typeof evaluation.progress.facts['followUpLimit'] === 'number'
      ? evaluation.progress.facts['followUpLimit'] as number : undefined);
  return [...defs.codes.keys()].flatMap((code) => {
    const count = evaluation.progress.counts[code];
    if (count === undefined || count === 0) return [];
    const limit = limitOf(code);
    return [{ code, count, ...(limit !== undefined ? { limit } : {}) }];
  });
}

/** At most three recommendations, best first. */
export function rankedRecommendations(evaluation: Evaluation): Evaluation['recommendations'] {
  return [...evaluation.recommendations].sort((a, b) => a.rank - b.rank).slice(0, 3);
}
