import { Ajv, type ErrorObject } from 'ajv';
import { applyOverrides, type DefinitionOverrides } from './definitions/overrides.js';
import type { Definitions } from './definitions/types.js';
import { RULE_IDS } from './types.js';
import type { RuleId } from './types.js';

/**
 * The engine's configuration: the active course definitions (the shipped PlanDefinitions and any configured ones,
 * with CDS_CONFIG's overrides applied) and which rules are on. Every number a rule uses is in the definitions; the
 * binding agreement text is not public, so a clinic or a later agreement changes a number without a code change.
 */
export interface CourseConfig {
  readonly definitions: Definitions;
  /** Rules switched off here never run and issue no card (next-consultation off: no recommendations). */
  readonly rules: Readonly<Record<RuleId, boolean>>;
}

export const DEFAULT_RULES = Object.fromEntries(RULE_IDS.map((id) => [id, true])) as Record<RuleId, boolean>;

const count = { type: 'integer', minimum: 0, maximum: 1000 } as const;
const positive = { type: 'integer', minimum: 1, maximum: 1000 } as const;
const days = { type: 'integer', minimum: 0, maximum: 3650 } as const;
const obj = (properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, properties });
const mapOf = (schema: unknown) => ({ type: 'object', propertyNames: { minLength: 1, maxLength: 64 }, additionalProperties: schema });

const threshold = obj({ points: { type: 'number', minimum: 0 }, percent: { type: 'number', minimum: 0 } });
const afterCount = {
  anyOf: [{ type: 'null' }, { ...obj({ code: { type: 'string', minLength: 1, maxLength: 16 }, count: positive }), required: ['code', 'count'] }],
};
const finalDue = obj({ afterDays: { anyOf: [days, { type: 'null' }] }, afterCount });
const limit = obj({ max: count, windowMonths: positive, windowDays: positive, anchor: { enum: ['entry', 'first'] } });

/**
 * JSON Schema of an override. Per course type and limit id (`courses.<type>.limits.<id>`), per instrument
 * (`instruments.<id>`), or rule-wide for every course (`individualTraining.maxCount`, `followUp.toleranceDays`, ...).
 * Course types, limit ids and instruments are checked against the definitions after the schema.
 */
export const courseConfigSchema = {
  $id: 'https://fhir.structured-course.dk/schema/course-config-override.json',
  title: 'Structured-course engine configuration (override of the course definitions)',
  ...obj({
    definitions: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 20 },
    education: obj({ maxPerCourse: count }),
    individualTraining: obj({ maxCount: count, windowMonths: positive, anchor: { enum: ['entry', 'first'] } }),
    groupTraining: obj({ maxCount: count, maxPerIsoWeek: positive }),
    followUp: obj({ maxCount: count, targetMonths: { type: 'array', items: positive, maxItems: 12 }, toleranceDays: days }),
    scores: obj({
      baselineLookBackDays: days,
      finalLookBackDays: days,
      followUpLookBackDays: days,
      odiMinAnswered: { type: 'integer', minimum: 1, maximum: 1000 },
      changeThresholds: mapOf(threshold),
      psfsActivityPoints: { type: 'number', minimum: 0 },
    }),
    finalDue: mapOf(finalDue),
    courses: mapOf(obj({
      limits: mapOf(limit),
      finalDue,
      followUp: obj({ targetMonths: { type: 'array', items: positive, maxItems: 12 }, toleranceDays: days }),
      lookBackDays: obj({ entry: days, final: days, 'follow-up': days }),
    })),
    instruments: mapOf(obj({ minAnswered: positive, change: threshold, itemChangePoints: { type: 'number', minimum: 0 } })),
    rules: obj(Object.fromEntries(RULE_IDS.map((id) => [id, { type: 'boolean' }]))),
  }),
} as const;

export class CourseConfigError extends Error {
  override readonly name = 'CourseConfigError';
  /** Every problem as 'path: message'. */
  readonly problems: readonly string[];
  readonly errors: readonly ErrorObject[];

  constructor(errors: readonly ErrorObject[], options?: { cause?: unknown; problems?: readonly string[] }) {
    const problems = [...errors.map(describe), ...(options?.problems ?? [])];
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

/**
 * Validates an override (parsed JSON) and applies it to the definitions (the shipped ones unless given; a folder of
 * extra definitions is read by src/fhir/definitions first and passed here). Every problem is listed at once.
 */
export function parseCourseConfig(json: unknown, base: Definitions): CourseConfig {
  if (json === undefined || json === null) return { definitions: base, rules: DEFAULT_RULES };
  if (!validateOverride(json)) throw new CourseConfigError([...(validateOverride.errors ?? [])]);
  const o = json as DefinitionOverrides & { rules?: Partial<Record<RuleId, boolean>> };
  const { definitions, problems } = applyOverrides(base, o);
  if (problems.length > 0) throw new CourseConfigError([], { problems });
  return { definitions, rules: { ...DEFAULT_RULES, ...(o.rules ?? {}) } };
}
