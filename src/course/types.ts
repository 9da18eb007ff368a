/**
 * The structured-course model: what the engine reads and what it answers. No FHIR, no HTTP, no clock.
 * Dates are local calendar dates in Europe/Copenhagen, as 'YYYY-MM-DD' strings: the FHIR layer converts instants
 * to local dates before anything reaches the engine, so every rule compares calendar dates, never 24-hour periods.
 */

/** A local calendar date in Europe/Copenhagen, 'YYYY-MM-DD'. */
import type { PsfsActivityChange, PsfsNewActivity } from '../instruments/psfs.js';

export type LocalDate = string;

/**
 * A consultation code, a course type and an instrument are data (src/course/definitions/): the engine names none of
 * them. The shipped ones are the three low-back-pain courses in fhir-resources/.
 */
export type ConsultationCode = string;
export type CourseType = string;
export type Instrument = string;

export const RULE_IDS = [
  'course-entry',
  'education-limit',
  'individual-education-exception',
  'individual-training-limit',
  'group-training-frequency',
  'one-per-day',
  'final-consultation',
  'follow-up-timing',
  'missing-baseline-scores',
  'missing-final-scores',
  'follow-up-scores',
  'outcome-change',
  'next-consultation',
  'course-type-unknown',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Encounter statuses (FHIR R4 vocabulary), plus Appointment 'proposed'/'booked' mapped by the FHIR layer. */
export type ConsultationStatus =
  | 'planned' | 'arrived' | 'triaged' | 'in-progress' | 'onleave' | 'finished' | 'cancelled'
  | 'entered-in-error' | 'unknown' | 'proposed' | 'booked';

export interface Consultation {
  /** Stable id (Encounter or Appointment id); used in findings so cards can point at records. */
  readonly id: string;
  readonly code: ConsultationCode;
  /** Local start date. */
  readonly date: LocalDate;
  /** Start instant (ISO 8601) when known: orders consultations within one day. */
  readonly start?: string;
  readonly status: ConsultationStatus;
  /**
   * The consultation that triggered this evaluation: the starting Encounter (encounter-start) or the proposed
   * Appointment (appointment-book). It counts unless cancelled or entered-in-error, whatever its status and date.
   */
  readonly current?: boolean;
}

export interface PsfsActivityScore {
  /** Stable identity of the activity across measurements (item linkId / Goal id). */
  readonly id: string;
  readonly label?: string;
  readonly value: number;
}

/** One subscale of an instrument scored per subscale (KOOS/HOOS-style, 0-100). */
export interface SubscaleScore {
  readonly id: string;
  readonly value: number;
}

/**
 * A score holds a value (ODI percent, NPRS, the PSFS mean), or subscales, or activities (with their mean as the
 * value). Range and direction are the instrument's (src/course/definitions).
 */
export interface ScoreRecord {
  readonly id: string;
  readonly instrument: Instrument;
  readonly date: LocalDate;
  readonly value?: number;
  readonly activities?: readonly PsfsActivityScore[];
  readonly subscales?: readonly SubscaleScore[];
}

export interface CourseHistory {
  /** Undefined when the type cannot be determined: never guessed from the history. */
  readonly type?: CourseType;
  /** Consultations of this one course (already selected by the caller), in any order, any status. */
  readonly consultations: readonly Consultation[];
  readonly scores: readonly ScoreRecord[];
  /**
   * False when scores could not be read (the EHR's server failed): score rules then say "could not be read"
   * instead of claiming a score is missing.
   */
  readonly scoresAvailable?: boolean;
  /** The EpisodeOfCare this course was read from, when one was found (FHIR layer; optional). */
  readonly episodeId?: string;
  /** True when the course rests on an EpisodeOfCare: a course even before its first consultation. */
  readonly hasEpisode?: boolean;
  /**
   * Booked or proposed Appointments (not the current one) on or after the reference date: shown, never counted.
   */
  readonly planned?: readonly Consultation[];
  /** The EpisodeOfCare's `period.start` as a local date: anchors windows when the course has no valid entry yet. */
  readonly episodeStart?: LocalDate;
}

export type Severity = 'info' | 'warning';

/** Facts are plain JSON data so that templates can render them and tests can compare them. */
export type FactValue = string | number | boolean | null | readonly FactValue[] | { readonly [k: string]: FactValue };
export type Facts = { readonly [k: string]: FactValue };

export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  /** A short machine-readable kind within the rule, e.g. 'over-limit', 'after-window', 'missing'. */
  readonly kind: string;
  /** True when the current consultation (or proposed Appointment) causes the finding. */
  readonly causedByCurrent: boolean;
  readonly consultationIds: readonly string[];
  readonly facts: Facts;
}

export interface Recommendation {
  readonly code: ConsultationCode;
  /** 1 = the recommendation; at most three. */
  readonly rank: number;
  /** 'final-due' | 'repeat-step' | 'next-step' | 'follow-up' | 'entry' | 'common-step' */
  readonly reason: string;
  readonly facts: Facts;
}

export interface ScoreChange {
  readonly instrument: Instrument;
  readonly baseline: ScoreRecord;
  readonly current: ScoreRecord;
  /** current - baseline. */
  readonly change: number;
  readonly percentChange: number | null;
  readonly improved: boolean;
  readonly clinicallyImportant: boolean;
  /** PSFS with activities on both sides: the change is computed over the shared activities only. */
  readonly basis?: 'score' | 'shared-activities';
  /** Per subscale, for an instrument scored in subscales (the change above is then 0 and not used). */
  readonly subscales?: readonly SubscaleChange[];
  /** The values compared (the record values, or the means over the shared PSFS activities). */
  readonly baselineValue?: number;
  readonly currentValue?: number;
  /** PSFS: the change per shared activity (threshold per activity: 3 points by default). */
  readonly activities?: readonly ActivityChange[];
  /** PSFS: activities rated now that the baseline did not rate (new or replaced goals): shown, never compared. */
  readonly newActivities?: readonly PsfsNewActivity[];
}

export interface SubscaleChange {
  readonly id: string;
  readonly baseline: number;
  readonly current: number;
  readonly change: number;
  readonly improved: boolean;
  readonly clinicallyImportant: boolean;
}

/** PSFS change on one activity, as the instruments module computes it (matched by activity id). */
export type ActivityChange = PsfsActivityChange;

/** A record the engine skipped (bad date, unknown code): never a card of its own, listed in card details and logs. */
export interface EngineDataIssue {
  readonly code: 'invalid-date' | 'unknown-code' | 'unknown-instrument' | 'invalid-value';
  readonly recordId: string;
  readonly message: string;
}

export interface OutcomeSummary {
  readonly baseline: Partial<Record<Instrument, ScoreRecord>>;
  readonly latest: Partial<Record<Instrument, ScoreRecord>>;
  readonly changes: readonly ScoreChange[];
}

export interface CourseProgress {
  readonly entryDate?: LocalDate;
  readonly finalDate?: LocalDate;
  /** Counted consultations per code. */
  readonly counts: Partial<Record<ConsultationCode, number>>;
  /** Free-form progress facts for the next-consultation card ("6 of 6 0266 used", window end, targets...). */
  readonly facts: Facts;
}

export interface Evaluation {
  readonly referenceDate: LocalDate;
  /** False when there is no course (no consultations and no episode): no rule ran and no card is issued. */
  readonly hasCourse: boolean;
  readonly type?: CourseType;
  readonly progress: CourseProgress;
  readonly recommendations: readonly Recommendation[];
  readonly findings: readonly Finding[];
  readonly outcome: OutcomeSummary;
  /** Records the engine skipped; empty when the input was sound. */
  readonly dataQuality?: readonly EngineDataIssue[];
  /** Rules switched off in the configuration: they issue no card at all (next-consultation included). */
  readonly switchedOff?: readonly RuleId[];
}
