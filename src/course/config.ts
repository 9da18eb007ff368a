import { Ajv, type ErrorObject } from 'ajv';
import { DEFAULT_CHANGE_THRESHOLDS, type ChangeThresholds } from '../instruments/change.js';
import { CONSULTATION_CODES, COURSE_TYPES, INSTRUMENTS, RULE_IDS } from './types.js';
import type { ConsultationCode, CourseType, RuleId } from './types.js';

/**
 * Every limit of the course model is configuration with a default (course-model.md): the binding agreement text is
 * not public, so a clinic or a later agreement must be able to change a number without a code change.
 */

export type WindowAnchor = 'entry' | 'first-0266';

export interface FinalDueConfig {
  /** Due on or after entry + this many calendar days; null: no date trigger. */
  readonly afterDays: number | null;
  /** Due once this many consultations of `code` are counted; null: no count trigger. */
  readonly afterCount: { readonly code: ConsultationCode; readonly count: number } | null;
}

export interface CourseConfig {
  readonly education: { readonly maxPerCourse: number };
  readonly individualTraining: {
    readonly maxCount: number;
    readonly windowMonths: number;
    readonly anchor: WindowAnchor;
  };
  readonly groupTraining: { readonly maxCount: number; readonly maxPerIsoWeek: number };
  readonly followUp: {
    readonly maxCount: number;
    /** Calendar months after the 0267's date. */
    readonly targetMonths: readonly number[];
    readonly toleranceDays: number;
  };
  readonly scores: {
    readonly baselineLookBackDays: number;
    readonly finalLookBackDays: number;
    readonly followUpLookBackDays: number;
    readonly odiMinAnswered: number;
    readonly changeThresholds: ChangeThresholds;
    /** PSFS: clinically important change on one activity (Stratford et al. 1995). */
    readonly psfsActivityPoints: number;
  };
  readonly finalDue: Readonly<Record<CourseType, FinalDueConfig>>;
  /** Rules switched off here never run (next-consultation off: no recommendations). */
  readonly rules: Readonly<Record<RuleId, boolean>>;
}

export const DEFAULT_COURSE_CONFIG: CourseConfig = {
  education: { maxPerCourse: 2 },
  individualTraining: { maxCount: 6, windowMonths: 3, anchor: 'entry' },
  groupTraining: { maxCount: 6, maxPerIsoWeek: 1 },
  followUp: { maxCount: 2, targetMonths: [3, 9], toleranceDays: 28 },
  scores: {
    baselineLookBackDays: 30,
    finalLookBackDays: 14,
    followUpLookBackDays: 14,
    odiMinAnswered: 9,
    changeThresholds: DEFAULT_CHANGE_THRESHOLDS,
    psfsActivityPoints: 3,
  },
  finalDue: {
    'self-training': { afterDays: null, afterCount: { code: '0113', count: 1 } },
    recurrent: { afterDays: 56, afterCount: { code: '0264', count: 6 } },
    persistent: { afterDays: 84, afterCount: null },
  },
  rules: Object.fromEntries(RULE_IDS.map((id) => [id, true])) as Record<RuleId, boolean>,
};

const count = { type: 'integer', minimum: 0, maximum: 1000 } as const;
const positive = { type: 'integer', minimum: 1, maximum: 1000 } as const;
const days = { type: 'integer', minimum: 0, maximum: 3650 } as const;
const obj = (properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, properties });

const threshold = obj({ points: { type: 'number', minimum: 0 }, percent: { type: 'number', minimum: 0 } });
const finalDue = obj({
  afterDays: { anyOf: [days, { type: 'null' }] },
  afterCount: {
    anyOf: [
      { type: 'null' },
      {
        ...obj({ code: { enum: [...CONSULTATION_CODES] }, count: positive }),
        required: ['code', 'count'],
      },
    ],
  },
});

/** JSON Schema (draft 2020-12 subset ajv 8 understands) of an override: any part of CourseConfig, nothing else. */
export const courseConfigSchema = {
  $id: 'https://fhir.structured-course.dk/schema/course-config-override.json',
  title: 'Structured-course engine configuration (override of the defaults)',
  ...obj({
    education: obj({ maxPerCourse: count }),
    individualTraining: obj({
      maxCount: count,
      windowMonths: positive,
      anchor: { enum: ['entry', 'first-0266'] },
    }),
    groupTraining: obj({ maxCount: count, maxPerIsoWeek: positive }),
    followUp: obj({
      maxCount: count,
      targetMonths: { type: 'array', items: positive, maxItems: 12 },
      toleranceDays: days,
    }),
    scores: obj({
      baselineLookBackDays: days,
      finalLookBackDays: days,
      followUpLookBackDays: days,
      odiMinAnswered: { type: 'integer', minimum: 1, maximum: 10 },
      changeThresholds: obj(Object.fromEntries(INSTRUMENTS.map((i) => [i, threshold]))),
      psfsActivityPoints: { type: 'number', minimum: 0 },
    }),
    finalDue: obj(Object.fromEntries(COURSE_TYPES.map((t) => [t, finalDue]))),
    rules: obj(Object.fromEntries(RULE_IDS.map((id) => [id, { type: 'boolean' }]))),
  }),
} as const;

export class CourseConfigError extends Error {
  override readonly name = 'CourseConfigError';
  /** Every problem as 'path: message', in ajv's order. */
  readonly problems: readonly string[];
  readonly errors: readonly ErrorObject[];

  constructor(errors: readonly ErrorObject[], options?: { cause?: unknown }) {
    const problems = errors.map(describe);
    super(`Invalid course configuration (${problems.length} problem(s)): ${problems.join('; ')}`, options);
    this.problems = problems;
    this.errors = errors;
  }
}

export const isCourseConfigError = (e: unknown): e is CourseConfigError => e instanceof CourseConfigError;

function describe(e: ErrorObject): string {
  const path = e.instancePath === '' ? '/' : e.instancePath;
  if (e.keyword === 'additionalProperties') {
    return `${path}: unknown property ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
  }
  if (e.keyword === 'enum') {
    return `${path}: must be one of ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}`;
  }
  return `${path}: ${e.message ?? e.keyword}`;
}

// Compiled once at module load: validation then costs a function call.
const validateOverride = new Ajv({ allErrors: true, strict: true }).compile(courseConfigSchema);

type Json = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars (and null) replace. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}

/** Validates an override (a deep-partial CourseConfig as parsed JSON) and merges it over the defaults. */
export function parseCourseConfig(json: unknown, defaults: CourseConfig = DEFAULT_COURSE_CONFIG): CourseConfig {
  if (json === undefined || json === null) return defaults;
  if (!validateOverride(json)) throw new CourseConfigError([...(validateOverride.errors ?? [])]);
  return deepMerge(defaults, json) as CourseConfig;
}
