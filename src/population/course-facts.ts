/**
 * The one place where the population job meets the engine. It runs exactly what the patient-view hook runs (the
 * FHIR mapping, then evaluateCourse at the reference date) and reduces the evaluation to the facts the worklist and
 * the report need. No clinical rule is decided here: due dates, targets, matches, missing scores, limit counts and
 * score changes all come from the engine's own functions. When the engine changes shape, this file changes.
 */
import {
  addDays, buildContext, daysBetween, evaluateCourse, finalDue, followUpMax, limitWindow, matchFollowUps, milestoneStep,
  ofCodes, summarizeOutcome,
  type Milestone, type RuleContext,
  type ConsultationCode, type CourseConfig, type CourseHistory, type CourseType, type Evaluation, type Finding,
  type Instrument, type LocalDate, type RuleId,
} from '../course/index.js';
import { mapCourse } from '../fhir/map/index.js';
import type { PatientResources } from './patient-resources.js';

/** Rules whose findings are a broken limit (course-model.md's "limit" indicator). */
export const LIMIT_RULES = [
  'course-entry', 'education-limit', 'individual-training-limit', 'group-training-frequency', 'one-per-day',
  'final-consultation', 'follow-up-timing',
] as const satisfies readonly RuleId[];
export type LimitRule = (typeof LIMIT_RULES)[number];
const LIMIT_RULE_SET: ReadonlySet<string> = new Set(LIMIT_RULES);

export const SCORE_RULES = ['missing-baseline-scores', 'missing-final-scores', 'follow-up-scores'] as const;
export type ScoreRule = (typeof SCORE_RULES)[number];

export interface FollowUpTargetFact {
  readonly months: number;
  readonly date: LocalDate;
  /** The 0268 the engine matched to this target, if any. */
  readonly heldDate?: LocalDate;
  /** Held within the tolerance of the target (no follow-up-timing finding for it). */
  readonly onTime?: boolean;
}

export interface MissingScoresFact {
  readonly rule: ScoreRule;
  /** The consultation the scores belong to: the entry code, 0267 or 0268. */
  readonly code: ConsultationCode;
  readonly date: LocalDate;
  readonly instruments: readonly Instrument[];
}

/** A limit of the course's current step, with the engine's counts. */
export interface StepLimitFact {
  readonly code: ConsultationCode;
  readonly count: number;
  readonly limit: number;
  /** The 0266 window's last day, when the limit has a window. */
  readonly windowEnd?: LocalDate;
}

export interface ScoreChangeFact {
  readonly instrument: Instrument;
  readonly change: number;
  readonly improved: boolean;
  readonly clinicallyImportant: boolean;
}

export interface CourseFacts {
  readonly patientId: string;
  readonly courseType: CourseType | null;
  readonly referenceDate: LocalDate;
  /** The first valid entry; absent when the course has none. */
  readonly entryDate?: LocalDate;
  readonly entryCode?: ConsultationCode;
  /** The date windows are anchored at (entry, else episode start, else first consultation): the cohort date. */
  readonly anchorDate?: LocalDate;
  readonly finalDate?: LocalDate;
  /** The 0267 is due by the engine's final-due rule and not held. */
  readonly finalDue: boolean;
  /** The day the 0267 became (or becomes) due, when the engine knows one. */
  readonly finalDueDate?: LocalDate;
  readonly followUpTargets: readonly FollowUpTargetFact[];
  readonly followUpToleranceDays: number;
  /** The preferred codes of the course's final and follow-up steps (the definition's; 0267 and 0268 in the LBP courses). */
  readonly finalCode: ConsultationCode | null;
  readonly followUpCode: ConsultationCode | null;
  /** Short names of the instruments in missingScores (ODI, PSFS, ...), from the definitions. */
  readonly instrumentNames: Readonly<Record<Instrument, string>>;
  /** How many more 0268 the limit allows. */
  readonly followUpsLeft: number;
  readonly missingScores: readonly MissingScoresFact[];
  /** Undefined when not applicable: no valid entry, or the scores could not be read. */
  readonly baselineComplete?: boolean;
  readonly finalComplete?: boolean;
  readonly limitFindings: readonly { readonly ruleId: LimitRule; readonly kind: string }[];
  readonly stepLimit?: StepLimitFact;
  readonly currentStep: string | null;
  readonly typeUnknown: boolean;
  /** Change between the baseline and the 0267's scores: the engine's outcome as evaluated on the 0267's day. */
  readonly finalChanges: readonly ScoreChangeFact[];
  readonly courseLengthDays?: number;
}

/** The request instant for a reference date: midday UTC is the same calendar day in Copenhagen all year. */
export const referenceInstant = (date: LocalDate): string => `${date}T12:00:00Z`;

/**
 * Maps and evaluates one patient's course at the reference date, as the patient-view hook does. Undefined when the
 * patient has no course (the hook then issues no card).
 */
export function courseFacts(resources: PatientResources, referenceDate: LocalDate, config: CourseConfig): CourseFacts | undefined {
  const mapping = mapCourse({
    patientId: resources.patientId,
    hook: 'patient-view',
    requestInstant: referenceInstant(referenceDate),
    resources: {
      encounters: resources.encounters,
      episodes: resources.episodes,
      carePlans: resources.carePlans,
      observations: resources.observations,
      questionnaireResponses: resources.questionnaireResponses,
      questionnaires: resources.questionnaires,
      appointments: resources.appointments,
    },
    scoresAvailable: resources.scoresAvailable,
    definitions: config.definitions,
  });
  if (!mapping.history) return undefined;
  const evaluation = evaluateCourse(mapping.history, mapping.referenceDate, config);
  if (!evaluation.hasCourse) return undefined;
  return reduce(resources.patientId, mapping.history, evaluation, config);
}

function reduce(patientId: string, history: CourseHistory, evaluation: Evaluation, config: CourseConfig): CourseFacts {
  const referenceDate = evaluation.referenceDate;
  // The same context the engine built for its rules: counted consultations, entry, final, anchor.
  // The mapping hands over sound records (the engine's sanitize step finds nothing to skip in them).
  const contextAt = (date: LocalDate) => buildContext(
    {
      ...(evaluation.type ? { type: evaluation.type } : {}),
      definition: (evaluation.type ? config.definitions.courses.get(evaluation.type) : undefined) ?? config.definitions.common,
      consultations: history.consultations,
      scores: history.scores,
      scoresAvailable: history.scoresAvailable !== false,
      ...(history.episodeStart ? { episodeStart: history.episodeStart } : {}),
    },
    date,
    config,
  );
  const ctx = contextAt(referenceDate);
  const due = finalDue(ctx);
  const { targets, matches } = matchFollowUps(ctx);
  const tolerance = ctx.definition.followUp.toleranceDays;
  const followUpTargets = targets.map((t): FollowUpTargetFact => {
    const m = matches.find((x) => x.status === 'matched' && x.target?.date === t.date && x.target.months === t.months);
    if (!m || m.daysOff === undefined) return { months: t.months, date: t.date };
    return { months: t.months, date: t.date, heldDate: m.consultation.date, onTime: Math.abs(m.daysOff) <= tolerance };
  });
  const heldAfterFinal = matches.filter((m) => m.status !== 'without-final' && m.status !== 'before-final').length;
  const byId = new Map(ctx.consultations.map((c) => [c.id, c]));
  const scoreFindings = evaluation.findings.filter((f) => (SCORE_RULES as readonly string[]).includes(f.ruleId));
  const missingScores = scoreFindings.filter((f) => f.kind === 'missing').map((f) => missingFact(f, byId, ctx));
  const finalDate = ctx.final?.date;
  const entryDate = ctx.entry?.date;
  const scoresReadable = history.scoresAvailable !== false;
  const facts = evaluation.progress.facts;
  const base: { -readonly [K in keyof CourseFacts]: CourseFacts[K] } = {
    patientId,
    courseType: evaluation.type ?? null,
    referenceDate,
    finalDue: due.due && finalDate === undefined,
    followUpTargets,
    followUpToleranceDays: tolerance,
    finalCode: milestoneStep(ctx.definition, 'final')?.codes[0] ?? null,
    followUpCode: milestoneStep(ctx.definition, 'follow-up')?.codes[0] ?? null,
    instrumentNames: Object.fromEntries(missingScores.flatMap((m) => m.instruments).map((i) => [i, ctx.instruments.get(i)?.name.da.short ?? i])),
    followUpsLeft: Math.max(0, followUpMax(ctx) - heldAfterFinal),
    missingScores,
    limitFindings: evaluation.findings
      .filter((f): f is Finding & { ruleId: LimitRule } => LIMIT_RULE_SET.has(f.ruleId))
      .map((f) => ({ ruleId: f.ruleId, kind: f.kind })),
    currentStep: typeof facts.currentStep === 'string' ? facts.currentStep : null,
    typeUnknown: evaluation.findings.some((f) => f.ruleId === 'course-type-unknown'),
    finalChanges: finalDate ? finalChanges(contextAt(finalDate), finalDate) : [],
  };
  if (entryDate && ctx.entry) {
    base.entryDate = entryDate;
    base.entryCode = ctx.entry.consultation.code;
    if (scoresReadable) base.baselineComplete = !missingScores.some((m) => m.rule === 'missing-baseline-scores');
  }
  if (ctx.anchorDate) base.anchorDate = ctx.anchorDate;
  if (finalDate) {
    base.finalDate = finalDate;
    if (scoresReadable) base.finalComplete = !missingScores.some((m) => m.rule === 'missing-final-scores');
    if (entryDate) base.courseLengthDays = daysBetween(entryDate, finalDate);
  }
  // Due by the count trigger (the n-th of a code before the day trigger): due since that consultation's day.
  const dueDate = due.due && due.trigger === 'count' ? (countTriggerDate(ctx) ?? due.dueDate) : due.dueDate;
  if (dueDate && finalDate === undefined) base.finalDueDate = dueDate;
  const limit = stepLimit(ctx, base.currentStep);
  if (limit) base.stepLimit = limit;
  return base;
}

/** The milestone whose instruments each score rule checks. */
const MILESTONE_OF: Readonly<Record<ScoreRule, Milestone>> = {
  'missing-baseline-scores': 'entry', 'missing-final-scores': 'final', 'follow-up-scores': 'follow-up',
};

function missingFact(f: Finding, byId: ReadonlyMap<string, { code: ConsultationCode; date: LocalDate }>, ctx: RuleContext): MissingScoresFact {
  const rule = f.ruleId as ScoreRule;
  // The rule names the consultation(s) the scores belong to: the entry (with its companion), the final or a follow-up.
  const consultation = f.consultationIds.map((id) => byId.get(id)).find((c) => c !== undefined);
  const instruments = Array.isArray(f.facts.missing) ? (f.facts.missing as Instrument[]) : [];
  return {
    rule,
    code: consultation?.code ?? milestoneStep(ctx.definition, MILESTONE_OF[rule])?.codes[0] ?? '',
    date: consultation?.date ?? String(f.facts.entryDate ?? f.facts.finalDate ?? f.facts.date),
    instruments,
  };
}

/** The day a count trigger was reached: the date of the n-th counted consultation of the trigger's code. */
function countTriggerDate(ctx: RuleContext): LocalDate | undefined {
  const rule = ctx.definition.finalDue.afterCount;
  if (!rule) return undefined;
  return ctx.byCode.get(rule.code)?.[rule.count - 1]?.date;
}

/** The count limit of the step the course is in (the definition's limit on that step), as the engine counts it. */
function stepLimit(ctx: RuleContext, stepId: string | null): StepLimitFact | undefined {
  const step = ctx.definition.steps.find((s) => s.id === stepId);
  const limit = ctx.definition.limits.find((l) => l.step === stepId && l.kind !== 'per-iso-week');
  if (!step || !limit) return undefined;
  const windowEnd = limit.kind === 'window' ? limitWindow(ctx, limit)?.end : undefined;
  return { code: step.codes[0] ?? limit.codes[0] ?? '', count: ofCodes(ctx, limit.codes).length, limit: limit.max, ...(windowEnd ? { windowEnd } : {}) };
}

/**
 * The engine's outcome (summarizeOutcome, as evaluateCourse computes it) on the 0267's day; only changes whose
 * current score belongs to the 0267 (its look-back).
 */
function finalChanges(atFinal: RuleContext, finalDate: LocalDate): ScoreChangeFact[] {
  const from = addDays(finalDate, -(atFinal.definition.milestones.final?.lookBackDays ?? 0));
  return summarizeOutcome(atFinal).changes
    .filter((c) => c.current.date >= from && c.current.date <= finalDate)
    .map((c) => ({ instrument: c.instrument, change: c.change, improved: c.improved, clinicallyImportant: c.clinicallyImportant }));
}
