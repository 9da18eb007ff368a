import {
  CONSULTATION_CODES,
  INSTRUMENTS,
  type Evaluation,
  type FactValue,
  type Facts,
  type Finding,
  type Instrument,
  type RuleId,
  type ScoreChange,
} from '../../course/types.js';
import type { CardLanguage } from './card-language.js';
import { courseTypeName, factRows, type FactRow } from './fact-text.js';
import { isLocalDateText } from './format.js';

/**
 * The view models the templates render. Templates are compiled in strict mode, so a template that names a field
 * the view model lacks throws: every field below is always present, except the named facts of a finding, which a
 * template only reads inside `{{#if}}`.
 */

/** Facts the templates speak of by name; any other fact is listed under `otherFacts`. */
const NUMBER_FACTS = [
  'count', 'ordinal', 'limit', 'windowMonths', 'daysOff', 'toleranceDays', 'lookBackDays', 'targetMonths',
] as const;
const DATE_FACTS = [
  'windowStart', 'windowEnd', 'entryDate', 'date', 'finalDate', 'targetDate', 'earliest', 'latest',
] as const;
const TEXT_FACTS = ['code', 'entryCode', 'week', 'anchor'] as const;
const INSTRUMENT_FACTS = ['instrument', 'instruments', 'missing'] as const;
/**
 * Facts never listed as text: shown elsewhere on the card (outcome changes get their own table; their PSFS labels
 * are patient text and must only pass through `patientText`), or internal to the engine.
 */
const HIDDEN_FACTS = new Set(['changes', 'activities', 'label', 'anyClinicallyImportant', 'anchorSource', 'courseType']);

type NumberFact = (typeof NUMBER_FACTS)[number];
type DateFact = (typeof DATE_FACTS)[number];
type TextFact = (typeof TEXT_FACTS)[number];

export type FindingView = {
  readonly kind: string;
  readonly causedByCurrent: boolean;
  readonly consultationCount: number;
  /** Missing instruments named by the finding. */
  readonly instruments: readonly Instrument[];
  /** Consultation codes named by the finding (`codes`). */
  readonly codes: readonly string[];
  readonly otherFacts: readonly FactRow[];
} & { readonly [K in NumberFact]?: number } & { readonly [K in DateFact | TextFact]?: string };

export interface ActivityView {
  /** 1-based, for an activity without a label. */
  readonly position: number;
  /** Patient text: templates must print it with `{{patientText label}}`. */
  readonly label?: string;
  readonly baseline: number;
  readonly current: number;
  readonly change: number;
  readonly clinicallyImportant: boolean;
}

export interface ChangeView {
  readonly instrument: Instrument;
  readonly baseline: number;
  readonly baselineDate: string;
  readonly current: number;
  readonly currentDate: string;
  readonly change: number;
  readonly improved: boolean;
  readonly clinicallyImportant: boolean;
  readonly sharedActivities: boolean;
  readonly activities: readonly ActivityView[];
}

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

export interface IssueView {
  readonly text: string;
  readonly resource?: string;
  readonly facts?: string;
}

export interface CardViewModel {
  readonly lang: CardLanguage;
  readonly ruleId: RuleId;
  readonly referenceDate: string;
  readonly isWarning: boolean;
  readonly causedByCurrent: boolean;
  readonly findingCount: number;
  readonly findings: readonly FindingView[];
  /** The finding the summary speaks of: the one the current consultation causes, else the first. */
  readonly head: FindingView;
  readonly courseType?: string;
  readonly missingInstruments: readonly Instrument[];
  readonly scoresUnavailable: boolean;
  readonly changes: readonly ChangeView[];
  readonly hasImportantChange: boolean;
  readonly recommendations: readonly RecommendationView[];
  readonly counts: readonly CountView[];
  readonly entryDate?: string;
  readonly finalDate?: string;
  readonly progress: ProgressView;
  readonly dataQuality: readonly IssueView[];
}

function isInstrument(value: unknown): value is Instrument {
  return typeof value === 'string' && (INSTRUMENTS as readonly string[]).includes(value);
}

function instrumentsIn(value: FactValue | undefined): Instrument[] {
  if (isInstrument(value)) return [value];
  if (Array.isArray(value)) return (value as readonly FactValue[]).filter(isInstrument);
  return [];
}

export function findingView(finding: Finding, lang: CardLanguage): FindingView {
  const view: Record<string, unknown> = {};
  const used = new Set<string>();
  const facts = finding.facts;
  for (const key of NUMBER_FACTS) {
    const value = facts[key];
    if (typeof value === 'number') {
      view[key] = value;
      used.add(key);
    }
  }
  for (const key of DATE_FACTS) {
    const value = facts[key];
    if (typeof value === 'string' && isLocalDateText(value)) {
      view[key] = value;
      used.add(key);
    }
  }
  for (const key of TEXT_FACTS) {
    const value = facts[key];
    if (typeof value === 'string' && value !== '') {
      view[key] = value;
      used.add(key);
    }
  }
  const instruments = new Set<Instrument>();
  for (const key of INSTRUMENT_FACTS) {
    const found = instrumentsIn(facts[key]);
    if (found.length > 0) used.add(key);
    for (const i of found) instruments.add(i);
  }
  const codesFact = facts['codes'];
  const codes = Array.isArray(codesFact) ? (codesFact as readonly FactValue[]).filter((c): c is string => typeof c === 'string') : [];
  if (codes.length > 0) used.add('codes');
  return {
    ...view,
    kind: finding.kind,
    causedByCurrent: finding.causedByCurrent,
    consultationCount: finding.consultationIds.length,
    instruments: INSTRUMENTS.filter((i) => instruments.has(i)),
    codes,
    otherFacts: factRows(facts, lang, new Set([...used, ...HIDDEN_FACTS])),
  } as FindingView;
}

const EMPTY_FINDING: FindingView = {
  kind: '',
  causedByCurrent: false,
  consultationCount: 0,
  instruments: [],
  codes: [],
  otherFacts: [],
};

function changeView(change: ScoreChange): ChangeView {
  const activities = (change.activities ?? []).map((a, index) => ({
    position: index + 1,
    ...(a.label !== undefined && a.label.trim() !== '' ? { label: a.label } : {}),
    baseline: a.baseline,
    current: a.current,
    change: a.change,
    clinicallyImportant: a.clinicallyImportant,
  }));
  return {
    instrument: change.instrument,
    baseline: change.baselineValue ?? change.baseline.value,
    baselineDate: change.baseline.date,
    current: change.currentValue ?? change.current.value,
    currentDate: change.current.date,
    change: change.change,
    improved: change.improved,
    clinicallyImportant: change.clinicallyImportant,
    sharedActivities: change.basis === 'shared-activities',
    activities,
  };
}

/** Copies the named facts that have the expected type; returns the keys it took. */
function pick(
  facts: Facts,
  numbers: readonly string[],
  dates: readonly string[],
  into: Record<string, unknown>,
): Set<string> {
  const used = new Set<string>();
  for (const key of numbers) {
    const value = facts[key];
    if (typeof value === 'number') {
      into[key] = value;
      used.add(key);
    }
  }
  for (const key of dates) {
    const value = facts[key];
    if (typeof value === 'string' && isLocalDateText(value)) {
      into[key] = value;
      used.add(key);
    }
  }
  return used;
}

function stringsIn(value: FactValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? (value as readonly FactValue[]).filter((v): v is string => typeof v === 'string') : [];
}

function recommendationView(rec: Evaluation['recommendations'][number], first: boolean, lang: CardLanguage): RecommendationView {
  const view: Record<string, unknown> = {};
  const used = pick(rec.facts, REC_NUMBER_FACTS, REC_DATE_FACTS, view);
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

function progressView(facts: Facts, lang: CardLanguage): ProgressView {
  const view: Record<string, unknown> = {};
  const used = pick(facts, PROGRESS_NUMBER_FACTS, PROGRESS_DATE_FACTS, view);
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

function countViews(evaluation: Evaluation): CountView[] {
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

export function buildViewModel(
  evaluation: Evaluation,
  ruleId: RuleId,
  findings: readonly Finding[],
  lang: CardLanguage,
  dataQuality: readonly IssueView[],
): CardViewModel {
  const views = findings.map((f) => findingView(f, lang));
  const headIndex = Math.max(0, findings.findIndex((f) => f.causedByCurrent));
  const scoresUnavailable = findings.some((f) => f.kind === 'unavailable');
  const missing = new Set<Instrument>();
  if (!scoresUnavailable) for (const v of views) for (const i of v.instruments) missing.add(i);
  const changes = evaluation.outcome.changes.map(changeView);
  const ranked = rankedRecommendations(evaluation);
  const progress = evaluation.progress;
  return {
    lang,
    ruleId,
    referenceDate: evaluation.referenceDate,
    isWarning: findings.some((f) => f.severity === 'warning'),
    causedByCurrent: findings.some((f) => f.causedByCurrent),
    findingCount: findings.length,
    findings: views,
    head: views[headIndex] ?? EMPTY_FINDING,
    ...(evaluation.type ? { courseType: courseTypeName(evaluation.type, lang) } : {}),
    missingInstruments: INSTRUMENTS.filter((i) => missing.has(i)),
    scoresUnavailable,
    changes,
    hasImportantChange: changes.some((c) => c.clinicallyImportant),
    recommendations: ranked.map((r, index) => recommendationView(r, index === 0, lang)),
    counts: countViews(evaluation),
    ...(progress.entryDate ? { entryDate: progress.entryDate } : {}),
    ...(progress.finalDate ? { finalDate: progress.finalDate } : {}),
    progress: progressView(progress.facts, lang),
    dataQuality,
  };
}
