import type { ConsultationCode, CourseType, Instrument } from './types.js';

/**
 * The three example courses of the seed as data. A step's `plan` (how many the course usually has) drives the
 * next-consultation recommendation; the limits that drive warnings live in the configuration (config.ts).
 */

export const STEP_IDS = [
  'entry', 'education', 'individual-training', 'group-training', 'self-training', 'final', 'follow-up',
] as const;
export type StepId = (typeof STEP_IDS)[number];

export interface StepPlan {
  readonly min: number;
  /** Null: "XX gange i forløbet", as many as the patient needs. */
  readonly max: number | null;
}

export interface CourseStep {
  readonly id: StepId;
  /** Codes that perform this step, the preferred one first. */
  readonly codes: readonly ConsultationCode[];
  readonly plan: StepPlan;
  /** Codes that may supplement this step without moving the course on (0269 manual treatment). */
  readonly supplements?: readonly ConsultationCode[];
  /** False for a step that locates the course but is never itself recommended (training when the type is unknown). */
  readonly recommendable?: boolean;
}

export interface CourseTypeDefinition {
  readonly type: CourseType;
  /** The seed's numbering: "Forløb 1/2/3". */
  readonly number: 1 | 2 | 3;
  readonly titleDa: string;
  readonly titleEn: string;
  readonly steps: readonly CourseStep[];
  readonly preferredEducation: ConsultationCode;
  readonly educationModes: readonly ConsultationCode[];
  readonly trainingModes: readonly ConsultationCode[];
  /** Typical length from entry to the final consultation; null when the seed ties it to the patient, not a date. */
  readonly expectedLengthDays: number | null;
  /** Questionnaires the patient fills in before the entry [SEED]. */
  readonly entryInstruments: readonly Instrument[];
  /** Questionnaires at the final consultation (ODI and PSFS in every course) [SEED]. */
  readonly finalInstruments: readonly Instrument[];
  /** Questionnaires checked at a follow-up ("tjek af svar på spørgeskemaer") [SEED]. */
  readonly followUpInstruments: readonly Instrument[];
}

const ENTRY: CourseStep = { id: 'entry', codes: ['0110', '0261', '0262'], plan: { min: 1, max: 1 } };
const FINAL: CourseStep = { id: 'final', codes: ['0267'], plan: { min: 1, max: 1 } };
const FOLLOW_UP: CourseStep = { id: 'follow-up', codes: ['0268'], plan: { min: 0, max: 2 } };

export const COURSE_TYPE_DEFINITIONS = {
  'self-training': {
    type: 'self-training',
    number: 1,
    titleDa: 'Selvtræningsforløb',
    titleEn: 'Self-training course',
    steps: [
      ENTRY,
      { id: 'education', codes: ['0265'], plan: { min: 1, max: 2 } },
      { id: 'individual-training', codes: ['0266'], plan: { min: 1, max: 2 } },
      { id: 'self-training', codes: ['0113'], plan: { min: 1, max: null } },
      FINAL,
      FOLLOW_UP,
    ],
    preferredEducation: '0265',
    educationModes: ['0265'],
    trainingModes: ['0266', '0113'],
    expectedLengthDays: null,
    entryInstruments: ['odi', 'nprs'],
    finalInstruments: ['odi', 'psfs'],
    followUpInstruments: ['odi', 'psfs'],
  },
  recurrent: {
    type: 'recurrent',
    number: 2,
    titleDa: 'Forløb ved tilbagevendende lænderygsmerter',
    titleEn: 'Course for recurrent low back pain',
    steps: [
      ENTRY,
      // Group education is the norm; individual education "ellers" (individual-education-exception).
      { id: 'education', codes: ['0263', '0265'], plan: { min: 1, max: 2 } },
      { id: 'individual-training', codes: ['0266'], plan: { min: 0, max: 6 }, supplements: ['0269'] },
      { id: 'group-training', codes: ['0264'], plan: { min: 6, max: 6 } },
      FINAL,
      FOLLOW_UP,
    ],
    preferredEducation: '0263',
    educationModes: ['0263', '0265'],
    trainingModes: ['0266', '0264'],
    expectedLengthDays: 56,
    entryInstruments: ['odi', 'psfs'],
    finalInstruments: ['odi', 'psfs'],
    followUpInstruments: ['odi', 'psfs'],
  },
  persistent: {
    type: 'persistent',
    number: 3,
    titleDa: 'Forløb ved vedvarende lænderygsmerter',
    titleEn: 'Course for persistent low back pain',
    steps: [
      ENTRY,
      { id: 'education', codes: ['0265'], plan: { min: 1, max: 2 } },
      { id: 'individual-training', codes: ['0266'], plan: { min: 1, max: 6 }, supplements: ['0269'] },
      { id: 'self-training', codes: ['0113'], plan: { min: 1, max: null } },
      FINAL,
      FOLLOW_UP,
    ],
    preferredEducation: '0265',
    educationModes: ['0265'],
    trainingModes: ['0266', '0113'],
    expectedLengthDays: 84,
    entryInstruments: ['odi', 'psfs'],
    finalInstruments: ['odi', 'psfs'],
    followUpInstruments: ['odi', 'psfs'],
  },
} as const satisfies Readonly<Record<CourseType, CourseTypeDefinition>>;

/** When the type is unknown, only the steps every course shares are recommended (course-type-unknown). */
export const COMMON_STEPS: readonly CourseStep[] = [
  ENTRY,
  { id: 'education', codes: ['0265', '0263'], plan: { min: 1, max: 2 } },
  // Training differs per type, so it is never recommended here; it only tells that education is behind us.
  {
    id: 'individual-training', codes: ['0266', '0264', '0113'], plan: { min: 0, max: null }, recommendable: false,
  },
  FINAL,
  FOLLOW_UP,
];

export function courseTypeDefinition(type: CourseType): CourseTypeDefinition {
  return COURSE_TYPE_DEFINITIONS[type];
}

/** The index of the step a code performs (-1 for supplements and codes foreign to the type). */
export function stepIndexOf(steps: readonly CourseStep[], code: ConsultationCode): number {
  return steps.findIndex((s) => s.codes.includes(code));
}
