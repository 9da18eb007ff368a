import type { Definitions } from '../../course/definitions/types.js';
import {
  type Evaluation,
  type FactValue,
  type Finding,
  type Instrument,
  type RuleId,
  type ScoreChange,
} from '../../course/types.js';
import type { CardLanguage } from './card-language.js';
import { isInstrument } from './consultation-names.js';
import { courseView, type CourseView } from './course-view.js';
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
  'count', 'ordinal', 'limit', 'windowMonths', 'windowDays', 'daysOff', 'toleranceDays', 'lookBackDays', 'targetMonths',
  'limitPerWeek', 'inWeek',
] as const;
const DATE_FACTS = [
  'windowStart', 'windowEnd', 'entryDate', 'date', 'finalDate', 'targetDate', 'earliest', 'latest',
] as const;
const TEXT_FACTS = ['code', 'entryCode', 'week', 'anchor', 'limitKind', 'partnerCode', 'finalCode', 'preferredCode', 'milestone'] as const;
const INSTRUMENT_FACTS = ['instrument', 'instruments', 'missing'] as const;
/**
 * Facts never listed as text: shown elsewhere on the card (outcome changes get their own table; their PSFS labels
 * are patient text and must only pass through `patientText`), or internal to the engine.
 */
const HIDDEN_FACTS = new Set([
  'changes', 'activities', 'newActivities', 'label', 'anyClinicallyImportant', 'anchorSource', 'courseType', 'limitId',
  'limitCodes', 'entryCodes', 'followUpCodes', 'required', 'step', 'knownTypes', 'weekStart',
]);
/** Code lists the templates name: the limit's codes, the entry's opening codes, the follow-up codes. */
const CODE_LIST_FACTS = ['limitCodes', 'entryCodes', 'followUpCodes', 'commonCodes'] as const;

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
  /** The limit's codes, the entry's opening codes, the follow-up codes, the common steps, where given. */
  readonly limitCodes: readonly string[];
  readonly entryCodes: readonly string[];
  readonly followUpCodes: readonly string[];
  readonly commonCodes: readonly string[];
  /** Instruments the milestone requires (`required`). */
  readonly required: readonly Instrument[];
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
  /** The thresholds and direction the change was judged by (from the instrument's definition). */
  readonly higherIsBetter: boolean;
  readonly thresholdPoints?: number;
  readonly thresholdPercent?: number;
  readonly itemThresholdPoints?: number;
  readonly unit?: string;
  /** Per subscale, for an instrument scored in subscales. */
  readonly subscales: readonly SubscaleView[];
  readonly activities: readonly ActivityView[];
  /** PSFS activities rated now only (new or replaced): shown as new, not compared. */
  readonly newActivities: readonly NewActivityView[];
}

export interface SubscaleView {
  readonly id: string;
  readonly name: string;
  readonly baseline: number;
  readonly current: number;
  readonly change: number;
  readonly clinicallyImportant: boolean;
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
  /** The course's active definition: codes, limits, milestones (templates state these numbers, never their own). */
  readonly course: CourseView;
}

function instrumentsIn(value: FactValue | undefined, defs: Definitions): Instrument[] {
  if (isInstrument(value, defs)) return [value];
  if (Array.isArray(value)) return (value as readonly FactValue[]).filter((v): v is string => isInstrument(v, defs));
  return [];
}

const stringList = (value: FactValue | undefined): string[] =>
  Array.isArray(value) ? (value as readonly FactValue[]).filter((c): c is string => typeof c === 'string') : [];

/** The registry's order, so a card lists instruments as the definitions do. */
const inOrder = (defs: Definitions, set: ReadonlySet<string>): Instrument[] => [...defs.instruments.keys()].filter((i) => set.has(i));

export function findingView(finding: Finding, lang: CardLanguage, defs: Definitions): FindingView {
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
    const found = instrumentsIn(facts[key], defs);
    if (found.length > 0) used.add(key);
    for (const i of found) instruments.add(i);
  }
  const codes = stringList(facts['codes']);
  if (codes.length > 0) used.add('codes');
  const lists = Object.fromEntries(CODE_LIST_FACTS.map((k) => [k, stringList(facts[k])]));
  for (const k of CODE_LIST_FACTS) used.add(k);
  return {
    ...view,
    ...lists,
    kind: finding.kind,
    causedByCurrent: finding.causedByCurrent,
    consultationCount: finding.consultationIds.length,
    instruments: inOrder(defs, instruments),
    required: instrumentsIn(facts['required'], defs),
    codes,
    otherFacts: factRows(facts, lang, new Set([...used, ...HIDDEN_FACTS]), defs),
  } as unknown as FindingView;
}

const EMPTY_FINDING: FindingView = {
  kind: '',
  causedByCurrent: false,
  consultationCount: 0,
  instruments: [],
  codes: [],
  limitCodes: [],
  entryCodes: [],
  followUpCodes: [],
  commonCodes: [],
  required: [],
  otherFacts: [],
};

function changeView(change: ScoreChange, lang: CardLanguage, defs: Definitions): ChangeView {
  const def = defs.instruments.get(change.instrument);
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
    baseline: change.baselineValue ?? change.baseline.value ?? 0,
    baselineDate: change.baseline.date,
    current: change.currentValue ?? change.current.value ?? 0,
    currentDate: change.current.date,
    change: change.change,
    improved: change.improved,
    clinicallyImportant: change.clinicallyImportant,
    sharedActivities: change.basis === 'shared-activities',
    higherIsBetter: def?.higherIsBetter === true,
    ...(def ? { thresholdPoints: def.change.points } : {}),
    ...(def?.change.percent !== undefined ? { thresholdPercent: def.change.percent } : {}),
    ...(def?.itemChangePoints !== undefined ? { itemThresholdPoints: def.itemChangePoints } : {}),
    ...(def?.unit !== undefined ? { unit: def.unit } : {}),
    subscales: (change.subscales ?? []).map((s) => ({
      id: s.id,
      name: def?.subscales.find((x) => x.id === s.id)?.name[lang] ?? s.id,
      baseline: s.baseline, current: s.current, change: s.change, clinicallyImportant: s.clinicallyImportant,
    })),
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
  defs: Definitions,
): CardViewModel {
  const { listed, hidden } = listedFindings(findings);
  const views = listed.map((f) => findingView(f, lang, defs));
  const headIndex = Math.max(0, listed.findIndex((f) => f.causedByCurrent));
  const scoresUnavailable = findings.some((f) => f.kind === 'unavailable');
  const missing = new Set<Instrument>();
  if (!scoresUnavailable) for (const v of views) for (const i of v.instruments) missing.add(i);
  const changes = evaluation.outcome.changes.map((c) => changeView(c, lang, defs));
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
    ...(evaluation.type ? { courseType: courseTypeName(evaluation.type, lang, defs) } : {}),
    missingInstruments: inOrder(defs, missing),
    scoresUnavailable,
    changes,
    hasImportantChange: changes.some((c) => c.clinicallyImportant),
    recommendations: ranked.map((r, index) => recommendationView(r, index === 0, lang, defs)),
    counts: countViews(evaluation, defs),
    ...(progress.entryDate ? { entryDate: progress.entryDate } : {}),
    ...(progress.finalDate ? { finalDate: progress.finalDate } : {}),
    progress: progressView(progress.facts, lang, defs),
    dataQuality,
    currentEncounterMissing: false,
    course: courseView(defs, evaluation.type, lang),
  };
}
