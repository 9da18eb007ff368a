import { CodeSystemUrl, ExternalSystem, Loinc } from '../../canonical.js';
import type { Instrument, PsfsActivityScore, ScoreRecord } from '../../course/types.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { arr, codings, isObject, prop, str, type CodingLike } from './guards.js';
import { parseFhirDate } from './local-date.js';
import type { MapResult } from './map-result.js';
import { parseReference } from './references.js';
import { inRange, numericValue, round1 } from './score-value.js';

const COUNTED_STATUSES: ReadonlySet<string> = new Set(['final', 'amended', 'corrected']);
const OBSERVATION_STATUSES: ReadonlySet<string> = new Set([
  'registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown',
]);
const LOINC_INSTRUMENT: Readonly<Record<string, Instrument>> = { [Loinc.odiTotal]: 'odi', [Loinc.nprs]: 'nprs' };
/** Questionnaire.code names the ODI panel (97908-8); an Observation names its total (97909-6). */
const LOINC_QUESTIONNAIRE_INSTRUMENT: Readonly<Record<string, Instrument>> = {
  [Loinc.odiPanel]: 'odi',
  [Loinc.odiTotal]: 'odi',
  [Loinc.nprs]: 'nprs',
};
const OWN_INSTRUMENT: Readonly<Record<string, Instrument>> = { odi: 'odi', psfs: 'psfs', nprs: 'nprs' };
const PSFS_SLOT = /^psfs-([1-9])$/;

/** A score Observation read, with what is needed to pair it with the QuestionnaireResponse it came from. */
export interface ObservationScore {
  readonly record: ScoreRecord;
  /** Ids of the QuestionnaireResponses in `derivedFrom` ('#id' for contained ones). */
  readonly derivedFrom: readonly string[];
  readonly encounterId?: string;
}

/** The instrument an Observation.code (or Questionnaire.code) names, if it is one of ours. */
export function instrumentOfCode(code: unknown, resource: string, issues: DataQualityIssue[]): Instrument | undefined {
  return instrumentOfCodings(codings(code), resource, issues);
}

export function instrumentOfCodings(
  list: readonly CodingLike[],
  resource: string,
  issues: DataQualityIssue[],
): Instrument | undefined {
  let noSystem: string | undefined;
  for (const c of list) {
    if (c.code === undefined) continue;
    if (c.system === ExternalSystem.loinc && LOINC_INSTRUMENT[c.code] !== undefined) return LOINC_INSTRUMENT[c.code];
    if (c.system === CodeSystemUrl.instrument && OWN_INSTRUMENT[c.code] !== undefined) return OWN_INSTRUMENT[c.code];
    if (c.system === undefined && (LOINC_INSTRUMENT[c.code] !== undefined || c.code === 'psfs')) noSystem = c.code;
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

function psfsActivities(obs: unknown, resource: string, issues: DataQualityIssue[]): PsfsActivityScore[] {
  const out: PsfsActivityScore[] = [];
  for (const comp of arr(obs, 'component')) {
    const slot = codings(prop(comp, 'code')).find(
      (c) => c.system === CodeSystemUrl.instrument && c.code !== undefined && PSFS_SLOT.test(c.code),
    );
    if (slot?.code === undefined) continue;
    const v = numericValue(comp);
    if (v.kind !== 'number') {
      if (v.kind === 'invalid') issues.push(dataQualityIssue('invalid-value', resource, { component: slot.code }));
      continue;
    }
    if (!inRange('psfs', v.value)) {
      issues.push(dataQualityIssue('score-out-of-range', resource, { instrument: 'psfs', component: slot.code, value: v.value }));
      continue;
    }
    const label = str(prop(comp, 'code'), 'text');
    out.push(label === undefined ? { id: slot.code, value: v.value } : { id: slot.code, label, value: v.value });
  }
  return out;
}

/** Reads one score Observation; undefined (no issue) when it is not a score of ours. Never throws. */
export function readScoreObservation(observation: unknown): MapResult<ObservationScore> {
  const issues: DataQualityIssue[] = [];
  if (!isObject(observation) || str(observation, 'resourceType') !== 'Observation') {
    return { value: undefined, issues: [dataQualityIssue('not-a-resource', undefined, { expected: 'Observation' })] };
  }
  const id = str(observation, 'id');
  if (id === undefined) return { value: undefined, issues: [dataQualityIssue('missing-id', undefined, { resourceType: 'Observation' })] };
  const resource = `Observation/${id}`;
  const instrument = instrumentOfCode(prop(observation, 'code'), resource, issues);
  if (instrument === undefined) return { value: undefined, issues };

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

  const activities = instrument === 'psfs' ? psfsActivities(observation, resource, issues) : [];
  const v = numericValue(observation);
  let value: number | undefined;
  if (v.kind === 'number') {
    value = v.value;
  } else if (instrument === 'psfs' && activities.length > 0) {
    // The mean is the score; when only the activities were sent, it is theirs (one decimal, as stated scores are).
    value = round1(activities.reduce((s, a) => s + a.value, 0) / activities.length);
  } else {
    // A dataAbsentReason says why there is no value: nothing to note.
    if (prop(observation, 'dataAbsentReason') === undefined) {
      issues.push(dataQualityIssue(v.kind === 'invalid' ? 'invalid-value' : 'missing-value', resource, { instrument }));
    }
    return { value: undefined, issues };
  }
  if (!inRange(instrument, value)) {
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
  const record: ScoreRecord =
    instrument === 'psfs' && activities.length > 0
      ? { id, instrument, date, value, activities }
      : { id, instrument, date, value };
  const score: ObservationScore =
    enc.kind === 'resource' ? { record, derivedFrom, encounterId: enc.id } : { record, derivedFrom };
  return { value: score, issues };
}

/**
 * The score records of one Observation (ODI total, NPRS, PSFS mean with its activities): an empty list when the
 * Observation is not a counted score of ours. Never throws.
 */
export function toScoreRecords(observation: unknown): MapResult<ScoreRecord[]> {
  const r = readScoreObservation(observation);
  return { value: r.value === undefined ? [] : [r.value.record], issues: r.issues };
}

/** The instrument of a Questionnaire's (or its item's) Coding list: ODI panel or total, NPRS, or our codes. */
export function instrumentOfQuestionnaireCodings(
  list: readonly CodingLike[],
  resource: string,
  issues: DataQualityIssue[],
): Instrument | undefined {
  for (const c of list) {
    if (c.code === undefined) continue;
    if (c.system === ExternalSystem.loinc && LOINC_QUESTIONNAIRE_INSTRUMENT[c.code] !== undefined) {
      return LOINC_QUESTIONNAIRE_INSTRUMENT[c.code];
    }
  }
  return instrumentOfCodings(list, resource, issues);
}
