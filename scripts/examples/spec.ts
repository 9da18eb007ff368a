/**
 * The shape in which the demo patients are written down: a timeline per course, from which `patient-bundle.ts`
 * builds the FHIR resources. Keeping the timelines as plain data makes each example readable as a clinical story.
 */
import type { ConsultationCode, CourseType, LocalDate } from '../../src/course/types.js';
import type { LocalDateTime } from './copenhagen-time.js';
import { SHIPPED_DEFINITIONS } from '../../src/fhir/definitions/shipped.js';

export interface ConsultationSpec {
  readonly code: ConsultationCode;
  /** Local Copenhagen start, 'YYYY-MM-DD HH:MM'. */
  readonly at: LocalDateTime;
  /** Defaults per code (see DEFAULT_MINUTES). */
  readonly minutes?: number;
  /** 'finished' (default) for past consultations; 'arrived' for the demo's current one, which has no end yet. */
  readonly status?: 'finished' | 'arrived';
}

export interface ScoreSpec {
  /** 1-based position, within its course, of the consultation these scores are recorded for. */
  readonly forVisit: number;
  /** When the patient answered (the day of, or a few days before, that consultation). */
  readonly at: LocalDateTime;
  /** Target ODI percent; the answers are derived from it and the score is then computed from the answers. */
  readonly odi?: number;
  /** One 0-10 rating per activity of the course, in the course's activity order. */
  readonly psfs?: readonly number[];
  readonly nprs?: number;
}

export type IcpcCode = 'L03' | 'L84' | 'L86';

export interface CourseSpec {
  /** '' for a patient's only course; e.g. '-2025' when the patient has more than one, to keep ids unique. */
  readonly idSuffix: string;
  /** Undefined: the course's type is recorded nowhere (no EpisodeOfCare.type, no CarePlan). */
  readonly type?: CourseType;
  /** False: no EpisodeOfCare and no CarePlan at all, only coded Encounters (the split-into-courses fallback). */
  readonly episode: boolean;
  readonly status: 'active' | 'finished';
  readonly diagnosis: IcpcCode;
  readonly onset: LocalDate;
  /** PSFS activities in Danish; also the course's Goals. */
  readonly activities: readonly string[];
  /** The patient leaves the ODI sex-life section unanswered (allowed): scored over nine sections. */
  readonly odiSkipsSexLife?: boolean;
  readonly consultations: readonly ConsultationSpec[];
  readonly scores: readonly ScoreSpec[];
}

export interface PersonSpec {
  readonly given: readonly string[];
  readonly family: string;
  readonly gender: 'male' | 'female';
  readonly birthDate: LocalDate;
  /** Fictitious CPR number: fails the modulus-11 check that every number issued before 2007 passes. */
  readonly cpr: string;
}

export interface PatientSpec {
  /** Key of the patient in DEMO_PATIENTS (src/demo/patients.ts), which also names the Bundle file. */
  readonly key: string;
  /** Id prefix of every resource of the patient, e.g. 'lbp-c2'. */
  readonly prefix: string;
  readonly person: PersonSpec;
  readonly courses: readonly CourseSpec[];
}

export const DEFAULT_MINUTES: Readonly<Record<ConsultationCode, number>> = {
  '0110': 60,
  '0113': 60,
  '0261': 45,
  '0262': 30,
  '0263': 90,
  '0264': 60,
  '0265': 45,
  '0266': 45,
  '0267': 45,
  '0268': 30,
  '0269': 30,
};

/** Danish names of the consultation codes (the consultation CodeSystem, read as definitions), as Coding.display. */
export const CONSULTATION_DISPLAY: Readonly<Record<ConsultationCode, string>> = Object.fromEntries(
  [...SHIPPED_DEFINITIONS.codes.values()].map((c) => [c.code, c.name.da]),
);

/** The course types' Danish names, as in the course-type CodeSystem. */
export const COURSE_TYPE_DISPLAY: Readonly<Record<CourseType, string>> = Object.fromEntries(
  [...SHIPPED_DEFINITIONS.courses.values()].map((c) => [c.type, c.title.da.replace(/^Struktureret forløb: /, '')]),
);
