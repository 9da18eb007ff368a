/**
 * Course definitions as the engine reads them: plain data, made from the PlanDefinitions, ActivityDefinitions,
 * CodeSystems and Questionnaires in `fhir-resources/` (and any configured folder) by `src/fhir/definitions/`. Nothing
 * here names a consultation code, a course type or an instrument: those are the data.
 */

export type Bilingual = { readonly da: string; readonly en: string };

/** How a consultation is held (the consultation CodeSystem's `mode` property). */
export type ConsultationMode = 'individual' | 'group' | 'none';

export interface ConsultationCodeDefinition {
  readonly code: string;
  /** The CodeSystem the code comes from: the FHIR mapper recognises Encounter.type by system and code. */
  readonly system: string;
  readonly name: Bilingual;
  readonly mode: ConsultationMode;
  /** The ActivityDefinition canonical of the code, by which PlanDefinition actions name it. */
  readonly activity?: string;
}

export type Milestone = 'entry' | 'final' | 'follow-up';
export const MILESTONES: readonly Milestone[] = ['entry', 'final', 'follow-up'];

export interface StepPlan {
  readonly min: number;
  /** Null: open ("XX gange i forløbet", as many as the patient needs). */
  readonly max: number | null;
}

export interface StepDefinition {
  readonly id: string;
  readonly title?: Bilingual;
  /** Codes that perform this step, the preferred one first. */
  readonly codes: readonly string[];
  readonly plan: StepPlan;
  /** Codes that may supplement this step without moving the course on (manual treatment beside training). */
  readonly supplements: readonly string[];
  /** Codes of this step used only as an exception: the physiotherapist records why (a reminder, info). */
  readonly exceptions: readonly string[];
  /**
   * Codes that join another code of the step on the same local day and count as one with it (a 0262 with its
   * 0110): code -> partner code. A companion without its partner that day is a course-entry finding.
   */
  readonly companions: Readonly<Record<string, string>>;
  /** The step's codes may share a local day with one individual consultation (supervised self-training). */
  readonly sharesDay: boolean;
  readonly milestone?: Milestone;
  /** False for a step that locates the course but is never itself recommended. */
  readonly recommendable: boolean;
}

/** The card topics (rule ids) a limit may report under. */
export const LIMIT_RULES = ['education-limit', 'individual-training-limit', 'group-training-frequency', 'follow-up-timing'] as const;
export type LimitRule = (typeof LIMIT_RULES)[number];

export const LIMIT_KINDS = ['per-course', 'window', 'per-iso-week'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

export type WindowAnchor = 'entry' | 'first';

export interface LimitDefinition {
  /** Stable id within its course type: CDS_CONFIG overrides name it (`courses.<type>.limits.<id>`). */
  readonly id: string;
  readonly rule: LimitRule;
  readonly kind: LimitKind;
  /** The step it is defined on; it counts that step's codes (never its supplements). */
  readonly step: string;
  readonly codes: readonly string[];
  readonly max: number;
  /** window: its length in calendar months or in days (one of them). */
  readonly windowMonths?: number;
  readonly windowDays?: number;
  /** window: from the course entry, or from the first counted consultation of the limit's codes. */
  readonly anchor?: WindowAnchor;
}

export interface MilestoneDefinition {
  /** Instrument ids required at the milestone (from Questionnaire canonicals). */
  readonly instruments: readonly string[];
  /** Scores count from this many days before the milestone's date through that date. */
  readonly lookBackDays: number;
}

export interface FinalDueDefinition {
  /** Due on or after entry + this many calendar days. */
  readonly afterDays: number | null;
  /** Due once this many consultations of `code` are counted. */
  readonly afterCount: { readonly code: string; readonly count: number } | null;
}

export interface FollowUpDefinition {
  /** Target dates: the final consultation's date + these calendar months. */
  readonly targetMonths: readonly number[];
  readonly toleranceDays: number;
}

export interface CourseDefinition {
  /** The course-type code (EpisodeOfCare.type), e.g. the seed's course 1/2/3. */
  readonly type: string;
  readonly typeSystem: string;
  /** PlanDefinition canonical (CarePlan.instantiatesCanonical). */
  readonly url: string;
  readonly version?: string;
  readonly title: Bilingual;
  /** Short name used inside sentences ("forløb 2 (tilbagevendende lændesmerter)"). */
  readonly name: Bilingual;
  /** Where the definition was read from (file name), for messages. */
  readonly source?: string;
  /** The resource it was read from, opaque to the engine: published again with the active numbers. */
  readonly resource?: unknown;
  readonly steps: readonly StepDefinition[];
  readonly limits: readonly LimitDefinition[];
  readonly milestones: Readonly<Record<Milestone, MilestoneDefinition | undefined>>;
  readonly finalDue: FinalDueDefinition;
  readonly followUp: FollowUpDefinition;
}

export const SCORING_METHODS = ['percent-of-max', 'mean-of-activities', 'single-item', 'subscales'] as const;
export type ScoringMethod = (typeof SCORING_METHODS)[number];

export interface ChangeThreshold {
  readonly points: number;
  /** Percent of baseline; absent when the instrument has no percent criterion. */
  readonly percent?: number;
}

export interface SubscaleDefinition {
  readonly id: string;
  readonly name: Bilingual;
  /** linkIds of the items scored into this subscale. */
  readonly items: readonly string[];
}

export interface InstrumentDefinition {
  readonly id: string;
  readonly name: { readonly da: { short: string; long: string }; readonly en: { short: string; long: string } };
  /** Codings a score Observation (or a Questionnaire.code) carries: LOINC first where it exists, then ours. */
  readonly codings: readonly { readonly system: string; readonly code: string }[];
  /** Questionnaire canonicals recognised without fetching (ours first: questionnaire tasks point at it). */
  readonly questionnaires: readonly string[];
  readonly min: number;
  readonly max: number;
  readonly higherIsBetter: boolean;
  readonly method: ScoringMethod;
  /** Decimals the score is reported with (ODI whole percent, PSFS one decimal). */
  readonly decimals: number;
  /** Unit shown after the value ('%'), if any. */
  readonly unit?: string;
  /** percent-of-max: fewest answered items that still give a score; subscales: per subscale. */
  readonly minAnswered?: number;
  /** Items scored (linkIds) for percent-of-max and single-item; the activity groups for mean-of-activities. */
  readonly items: readonly string[];
  /** Highest ordinal of one item (percent-of-max, subscales). */
  readonly itemMax?: number;
  /** subscales: 100 means no problems (KOOS/HOOS), so the mean item score is reversed. */
  readonly reverse?: boolean;
  readonly subscales: readonly SubscaleDefinition[];
  readonly change: ChangeThreshold;
  /** mean-of-activities: clinically important change on one activity. */
  readonly itemChangePoints?: number;
  /** Largest difference between a stated score and ours that is still rounding. */
  readonly roundingTolerance: number;
  /** mean-of-activities: each activity's group item with its text item and rating item (linkIds). */
  readonly activities: readonly { readonly group: string; readonly text: string; readonly rating: string }[];
  /** Read-only numeric items that state the score (checked against ours). */
  readonly statedItems: readonly string[];
  /** Codings of the form itself (Questionnaire.code), by which a fetched Questionnaire is recognised. */
  readonly formCodings: readonly { readonly system: string; readonly code: string }[];
  /** 'system|code' of the defining form's answer options -> their ordinal, for answers without an ordinal. */
  readonly answerOrdinals: Readonly<Record<string, number>>;
  /** Position in lists (cards, tables): the instruments' order. */
  readonly order: number;
}

/** Everything the engine, the mapper and the cards read; overrides already applied. */
export interface Definitions {
  readonly codes: ReadonlyMap<string, ConsultationCodeDefinition>;
  readonly courses: ReadonlyMap<string, CourseDefinition>;
  readonly instruments: ReadonlyMap<string, InstrumentDefinition>;
  /** For a course whose type cannot be determined: the steps and limits every course shares. */
  readonly common: CourseDefinition;
}
