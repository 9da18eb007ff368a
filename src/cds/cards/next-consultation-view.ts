import { CONSULTATION_CODES, type Evaluation, type FactValue, type Facts } from '../../course/types.js';
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

const PROGRESS_NUMBER_FACTS = [
  'educationCount', 'educationLimit', 'individualTrainingCount', 'individualTrainingLimit', 'groupTrainingCount',
  'groupTrainingLimit', 'selfTrainingCount', 'followUpCount', 'followUpLimit', 'followUpToleranceDays',
] as const;
const PROGRESS_DATE_FACTS = ['individualTrainingWindowStart', 'individualTrainingWindowEnd', 'finalDueDate'] as const;
const PROGRESS_BOOLEAN_FACTS = ['finalDue', 'courseComplete'] as const;
const PROGRESS_HIDDEN_FACTS = new Set(['courseType', 'currentStep', 'anchorDate', 'anchorSource', 'limits', 'followUpTargets']);

export type ProgressView = {
  readonly followUpTargets: readonly string[];
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

export function recommendationView(rec: Evaluation['recommendations'][number], first: boolean, lang: CardLanguage): RecommendationView {
  const view: Record<string, unknown> = {};
  const used = pickFacts(rec.facts, REC_NUMBER_FACTS, REC_DATE_FACTS, view);
  return {
    ...view,
    code: rec.code,
    rank: rec.rank,
    reason: rec.reason,
    isRecommended: first,
    alternatives: stringsIn(rec.facts['alternatives']),
    otherFacts: factRows(rec.facts, lang, new Set([...used, ...REC_HIDDEN_FACTS, 'alternatives'])),
  } as RecommendationView;
}

export function progressView(facts: Facts, lang: CardLanguage): ProgressView {
  const view: Record<string, unknown> = {};
  const used = pickFacts(facts, PROGRESS_NUMBER_FACTS, PROGRESS_DATE_FACTS, view);
  for (const key of PROGRESS_BOOLEAN_FACTS) {
    view[key] = facts[key] === true;
    used.add(key);
  }
  return {
    ...view,
    followUpTargets: stringsIn(facts['followUpTargets']).filter(isLocalDateText),
    otherFacts: factRows(facts, lang, new Set([...used, ...PROGRESS_HIDDEN_FACTS])),
  } as unknown as ProgressView;
}

/** The per-code limits the progress facts carry (education is a combined limit, shown on its own line). */
const LIMIT_FACT_BY_CODE: Readonly<Record<string, string>> = {
  '0266': 'individualTrainingLimit',
  '0264': 'groupTrainingLimit',
  '0268': 'followUpLimit',
};

export function countViews(evaluation: Evaluation): CountView[] {
  const limitOf = (code: string): number | undefined => {
    const key = LIMIT_FACT_BY_CODE[code];
    const value = key === undefined ? undefined : evaluation.progress.facts[key];
    return typeof value === 'number' ? value : undefined;
  };
  return CONSULTATION_CODES.flatMap((code) => {
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
