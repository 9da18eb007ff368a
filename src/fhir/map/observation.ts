import type { Definitions, InstrumentDefinition } from '../../course/definitions/types.js';
import type { PsfsActivityScore, ScoreRecord, SubscaleScore } from '../../course/types.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { arr, codings, isObject, prop, str, type CodingLike } from './guards.js';
import { codingKey, instrumentIndex } from './instrument-index.js';
import { parseFhirDate } from './local-date.js';
import type { MapResult } from './map-result.js';
import { parseReference } from './references.js';
import { inRange, numericValue, roundTo } from './score-value.js';

const COUNTED_STATUSES: ReadonlySet<string> = new Set(['final', 'amended', 'corrected']);
const OBSERVATION_STATUSES: ReadonlySet<string> = new Set([
  'registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown',
]);

/** A score Observation read, with what is needed to pair it with the QuestionnaireResponse it came from. */
export interface ObservationScore {
  readonly record: ScoreRecord;
  /** Ids of the QuestionnaireResponses in `derivedFrom` ('#id' for contained ones). */
  readonly derivedFrom: readonly string[];
  readonly encounterId?: string;
}

/** The instrument an Observation.code (or Questionnaire.code) names, if it is one of the registry's. */
export function instrumentOfCode(code: unknown, resource: string, issues: DataQualityIssue[], defs: Definitions): InstrumentDefinition | undefined {
  return instrumentOfCodings(codings(code), resource, issues, defs);
}

export function instrumentOfCodings(
  list: readonly CodingLike[],
  resource: string,
  issues: DataQualityIssue[],
  defs: Definitions,
  forms = false,
): InstrumentDefinition | undefined {
  const index = instrumentIndex(defs);
  let noSystem: string | undefined;
  for (const c of list) {
    if (c.code === undefined) continue;
    if (c.system !== undefined) {
      const hit = (forms ? index.byFormCoding.get(codingKey(c.system, c.code)) : undefined) ?? index.byScoreCoding.get(codingKey(c.system, c.code));
      if (hit) return hit;
    } else if (index.bareCodes.has(c.code)) noSystem = c.code;
  }
  if (noSystem !== undefined) issues.push(dataQualityIssue('unknown-code-system', resource, { code: noSystem }));
  return undefined;
}

/** Local date of Observation.effective[x]. */
function effectiveDate(obs: unknown, resource: string, issues: DataQualityIssue[]): string | undefined {
  const raw = prop(obs, 'effectiveDateTime') ?? prop(prop(obs, 'effectivePeriod'), 'start') ?? prop(obs, 'effectiveInstant');
  const p = parseFhirDate(raw);
  if (p.ok) return p.date;
  issues.push(
    p.reason === 'missing'
      ? dataQualityIssue('missing-date', resource, { element: 'effective' })
      : dataQualityIssue('invalid-date', resource, { element: 'effective', reason: p.reason }),
  );
  return undefined;
}

/** The instrument's own codes (not LOINC): activity components are coded '<code>-<n>' under the same system. */
const slotPatterns = new WeakMap<InstrumentDefinition, readonly { system: string; pattern: RegExp }[]>();
function ownSlotPatterns(def: InstrumentDefinition): readonly { system: string; pattern: RegExp }[] {
  let p = slotPatterns.get(def);
  if (!p) {
    p = def.codings.filter((c) => c.system !== 'http://loinc.org')
      .map((c) => ({ system: c.system, pattern: new RegExp(`^${c.code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`) }));
    slotPatterns.set(def, p);
  }
  return p;
}

function activitiesOf(obs: unknown, def: InstrumentDefinition, resource: string, issues: DataQualityIssue[]): PsfsActivityScore[] {
  const own = ownSlotPatterns(def);
  const out: PsfsActivityScore[] = [];
  for (const comp of arr(obs, 'component')) {
    const slot = codings(prop(comp, 'code')).find(
      (c) => c.code !== undefined && own.some((o) => o.system === c.system && o.pattern.test(c.code as string)),
    );
    if (slot?.code === undefined) continue;
    const v = numericValue(comp);
    if (v.kind !== 'number') {
      if (v.kind === 'invalid') issues.push(dataQualityIssue('invalid-value', resource, { component: slot.code }));
      continue;
    }
    if (!inRange(def, v.value)) {
      issues.push(dataQualityIssue('score-out-of-range', resource, { instrument: def.id, component: slot.code, value: v.value }));
      continue;
    }
    const label = str(prop(comp, 'code'), 'text');
    out.push(label === undefined ? { id: slot.code, value: v.value } : { id: slot.code, label, value: v.value });
  }
  return out;
}

/** Subscale components, coded with the subscale ids; a value outside 0-100 (the range) is noted and skipped. */
function subscalesOf(obs: unknown, def: InstrumentDefinition, resource: string, issues: DataQualityIssue[]): SubscaleScore[] {
  const ids = new Set(def.subscales.map((s) => s.id));
  const out: SubscaleScore[] = [];
  for (const comp of arr(obs, 'component')) {
    const id = codings(prop(comp, 'code')).find((c) => c.code !== undefined && ids.has(c.code))?.code;
    if (id === undefined) continue;
    const v = numericValue(comp);
    if (v.kind === 'number' && inRange(def, v.value)) out.push({ id, value: v.value });
    else issues.push(dataQualityIssue(v.kind === 'number' ? 'score-out-of-range' : 'invalid-value', resource, { instrument: def.id, component: id }));
  }
  return out;
}

/** Reads one score Observation; undefined (no issue) when it is not a score of ours. Never throws. */
export function readScoreObservation(observation: unknown, defs: Definitions): MapResult<ObservationScore> {
  const issues: DataQualityIssue[] = [];
  if (!isObject(observation) || str(observation, 'resourceType') !== 'Observation') {
    return { value: undefined, issues: [dataQualityIssue('not-a-resource', undefined, { expected: 'Observation' })] };
  }
  const id = str(observation, 'id');
  if (id === undefined) return { value: undefined, issues: [dataQualityIssue('missing-id', undefined, { resourceType: 'Observation' })] };
  const resource = `Observation/${id}`;
  const def = instrumentOfCode(prop(observation, 'code'), resource, issues, defs);
  if (def === undefined) return { value: undefined, issues };
  const instrument = def.id;

  const status = str(observation, 'status');
  if (status === undefined) {
    issues.push(dataQualityIssue('missing-status', resource));
    return { value: undefined, issues };
  }
  if (!OBSERVATION_STATUSES.has(status)) {
    issues.push(dataQualityIssue('invalid-status', resource, { status: status.slice(0, 32) }));
    return { value: undefined, issues };
  }
  if (!COUNTED_STATUSES.has(status)) return { value: undefined, issues };

  const date = effectiveDate(observation, resource, issues);
  if (date === undefined) return { value: undefined, issues };

  const activities = def.method === 'mean-of-activities' ? activitiesOf(observation, def, resource, issues) : [];
  const subscales = def.method === 'subscales' ? subscalesOf(observation, def, resource, issues) : [];
  const v = numericValue(observation);
  let value: number | undefined;
  if (v.kind === 'number') {
    value = v.value;
  } else if (activities.length > 0) {
    // The mean is the score; when only the activities were sent, it is theirs (as stated scores are rounded).
    value = roundTo(activities.reduce((s, a) => s + a.value, 0) / activities.length, def.decimals);
  } else if (subscales.length === 0) {
    // A dataAbsentReason says why there is no value: nothing to note.
    if (prop(observation, 'dataAbsentReason') === undefined) {
      issues.push(dataQualityIssue(v.kind === 'invalid' ? 'invalid-value' : 'missing-value', resource, { instrument }));
    }
    return { value: undefined, issues };
  }
  if (value !== undefined && !inRange(def, value)) {
    issues.push(dataQualityIssue('score-out-of-range', resource, { instrument, value }));
    return { value: undefined, issues };
  }

  const derivedFrom: string[] = [];
  for (const d of arr(observation, 'derivedFrom')) {
    const r = parseReference(d);
    if (r.kind === 'resource' && (r.type === undefined || r.type === 'QuestionnaireResponse')) derivedFrom.push(r.id);
    else if (r.kind === 'contained') derivedFrom.push(`#${r.id}`);
  }
  const enc = parseReference(prop(observation, 'encounter'));
  const record: ScoreRecord = {
    id, instrument, date,
    ...(value !== undefined ? { value } : {}),
    ...(activities.length > 0 ? { activities } : {}),
    ...(subscales.length > 0 && value === undefined ? { subscales } : {}),
  };
  const score: ObservationScore =
    enc.kind === 'resource' ? { record, derivedFrom, encounterId: enc.id } : { record, derivedFrom };
  return { value: score, issues };
}

/**
 * The score records of one Observation (ODI total, NPRS, PSFS mean with its activities): an empty list when the
 * Observation is not a counted score of ours. Never throws.
 */
export function toScoreRecords(observation: unknown, defs: Definitions): MapResult<ScoreRecord[]> {
  const r = readScoreObservation(observation, defs);
  return { value: r.value === undefined ? [] : [r.value.record], issues: r.issues };
}

/** The instrument of a Questionnaire's (or its item's) Coding list: the form's own codings, then score codings. */
export function instrumentOfQuestionnaireCodings(
  list: readonly CodingLike[],
  resource: string,
  issues: DataQualityIssue[],
  defs: Definitions,
): InstrumentDefinition | undefined {
  return instrumentOfCodings(list, resource, issues, defs, true);
}
