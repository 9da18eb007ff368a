import {
  INSTRUMENTS,
  type Evaluation,
  type FactValue,
  type Finding,
  type Instrument,
  type RuleId,
  type ScoreChange,
} from '../../course/types.js';
import type { CardLanguage } from './card-language.js';
import { courseTypeName, factRows, pickFacts, type FactRow } from './fact-text.js';
import {
  countViews,
  progressView,
  rankedRecommendations,
  recommendationView,
  type CountView,
  type ProgressView,
  type RecommendationView,
} from './next-consultation-view.js';

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
const HIDDEN_FACTS = new Set(['changes', 'activities', 'newActivities', 'label', 'anyClinicallyImportant', 'anchorSource', 'courseType']);

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
  /** PSFS activities rated now only (new or replaced): shown as new, not compared. */
  readonly newActivities: readonly NewActivityView[];
}

export interface NewActivityView {
  readonly position: number;
  /** Patient text: templates must print it with `{{patientText label}}`. */
  readonly label?: string;
  readonly current: number;
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
  /** The findings listed in the detail: at most MAX_LISTED_FINDINGS (see `listedFindings`). */
  readonly findings: readonly FindingView[];
  /** Findings of this rule that are counted but not listed; 0 when all are listed. */
  readonly hiddenFindings: number;
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
  /** encounter-start named an Encounter that neither the prefetch nor the FHIR server has: the summary says so. */
  readonly currentEncounterMissing: boolean;
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
  const facts = finding.facts;
  const used = pickFacts(facts, NUMBER_FACTS, DATE_FACTS, view);
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
    newActivities: (change.newActivities ?? []).map((a, index) => ({
      position: activities.length + index + 1,
      ...(a.label !== undefined && a.label.trim() !== '' ? { label: a.label } : {}),
      current: a.current,
    })),
  };
}


/**
 * A long course can break one limit hundreds of times (every 0266 past the window, say); a card that lists them all
 * is unreadable and slow to render. The detail lists the current consultation's findings and the latest others,
 * at most this many, and says how many more there are.
 */
export const MAX_LISTED_FINDINGS = 10;

function listedFindings(findings: readonly Finding[]): { listed: readonly Finding[]; hidden: number } {
  if (findings.length <= MAX_LISTED_FINDINGS) return { listed: findings, hidden: 0 };
  const current = findings.filter((f) => f.causedByCurrent).slice(0, MAX_LISTED_FINDINGS);
  const keep = new Set<Finding>(current);
  for (let i = findings.length - 1; i >= 0 && keep.size < MAX_LISTED_FINDINGS; i -= 1) keep.add(findings[i]!);
  return { listed: findings.filter((f) => keep.has(f)), hidden: findings.length - keep.size };
}

export function buildViewModel(
  evaluation: Evaluation,
  ruleId: RuleId,
  findings: readonly Finding[],
  lang: CardLanguage,
  dataQuality: readonly IssueView[],
): CardViewModel {
  const { listed, hidden } = listedFindings(findings);
  const views = listed.map((f) => findingView(f, lang));
  const headIndex = Math.max(0, listed.findIndex((f) => f.causedByCurrent));
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
    hiddenFindings: hidden,
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
    currentEncounterMissing: false,
  };
}
