import { CodeSystemUrl, ExternalSystem, Loinc } from '../../canonical.js';
import type { Instrument, PsfsActivityScore, ScoreRecord } from '../../course/types.js';
import { ODI_ANSWER_SYSTEM } from '../../instruments/codes.js';
import { scorePsfs as scorePsfsActivities } from '../../instruments/psfs.js';
import { NPRS_LINK_ID, ODI_LINK_IDS, ODI_SCORE_LINK_ID, PSFS_SCORE_LINK_ID, PSFS_SLOTS } from '../../instruments/link-ids.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { arr, isObject, numericExtension, plainCodings, prop, splitCanonical, str, type JsonObject } from './guards.js';
import { parseFhirDate } from './local-date.js';
import type { MapResult } from './map-result.js';
import { scoreOdiSections } from './odi-score.js';
import {
  findQuestionnaire,
  indexQuestionnaires,
  instrumentOfQuestionnaire,
  KNOWN_QUESTIONNAIRE_URLS,
  type QuestionnaireIndex,
} from './questionnaire-index.js';
import { parseReference } from './references.js';
import { containedResource } from './resource-index.js';
import { inRange, numericValue, ROUNDING_TOLERANCE } from './score-value.js';

const COUNTED_STATUSES: ReadonlySet<string> = new Set(['completed', 'amended']);
const QR_STATUSES: ReadonlySet<string> = new Set(['in-progress', 'completed', 'amended', 'entered-in-error', 'stopped']);

/** A scored response, with what is needed to pair it with Observations derived from it. */
export interface ResponseScore {
  readonly record: ScoreRecord;
  readonly encounterId?: string;
}

type Items = ReadonlyMap<string, readonly unknown[]>;

/** Answers by linkId, through groups and nested answer items. */
function answersByLinkId(items: readonly unknown[], out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const item of items) {
    const linkId = str(item, 'linkId');
    const answers = arr(item, 'answer');
    if (linkId !== undefined && answers.length > 0) {
      const list = out.get(linkId);
      if (list) list.push(...answers);
      else out.set(linkId, [...answers]);
    }
    answersByLinkId(arr(item, 'item'), out);
    for (const a of answers) answersByLinkId(arr(a, 'item'), out);
  }
  return out;
}

/** Questionnaire items by linkId, through groups. */
function questionnaireItems(items: readonly unknown[], out = new Map<string, JsonObject>()): Map<string, JsonObject> {
  for (const item of items) {
    if (!isObject(item)) continue;
    const linkId = str(item, 'linkId');
    if (linkId !== undefined && !out.has(linkId)) out.set(linkId, item);
    questionnaireItems(arr(item, 'item'), out);
  }
  return out;
}

function ordinalOf(element: unknown): number | undefined {
  return numericExtension(element, ExternalSystem.ordinalValueExtension) ?? numericExtension(element, ExternalSystem.itemWeightExtension);
}

/**
 * The ordinal score of one ODI answer: the Coding's ordinalValue/itemWeight extension; else the Questionnaire's
 * answerOption for the same code; else our own answer CodeSystem, whose codes are the ordinals; else a plain number.
 * Never the display text.
 */
function odiOrdinal(answer: unknown, qItem: JsonObject | undefined): number | undefined {
  const coding = prop(answer, 'valueCoding');
  if (isObject(coding)) {
    const own = ordinalOf(coding) ?? ordinalOf(answer);
    if (own !== undefined) return own;
    const code = str(coding, 'code');
    const system = str(coding, 'system');
    if (code !== undefined && qItem !== undefined) {
      for (const option of arr(qItem, 'answerOption')) {
        const oc = prop(option, 'valueCoding');
        if (str(oc, 'code') !== code) continue;
        const os = str(oc, 'system');
        if (system !== undefined && os !== undefined && os !== system) continue;
        const v = ordinalOf(oc) ?? ordinalOf(option);
        if (v !== undefined) return v;
      }
    }
    if (system === ODI_ANSWER_SYSTEM && code !== undefined && /^[0-5]$/.test(code)) return Number(code);
    return undefined;
  }
  const n = numericValue(answer);
  return n.kind === 'number' ? n.value : undefined;
}

interface Scored {
  readonly value: number;
  readonly activities?: readonly PsfsActivityScore[];
}

function scoreOdi(answers: Items, qItems: Map<string, JsonObject>, resource: string, issues: DataQualityIssue[], minAnswered?: number): Scored | undefined {
  const sections: number[][] = [];
  for (const linkId of ODI_LINK_IDS) {
    const ticks: number[] = [];
    for (const a of answers.get(linkId) ?? []) {
      const o = odiOrdinal(a, qItems.get(linkId));
      if (o === undefined || !Number.isInteger(o) || o < 0 || o > 5) {
        issues.push(
          dataQualityIssue('invalid-answer', resource, o === undefined ? { linkId } : { linkId, value: o }),
        );
      } else {
        ticks.push(o);
      }
    }
    if (ticks.length > 1) issues.push(dataQualityIssue('odi-double-tick', resource, { linkId, answers: ticks.length }));
    sections.push(ticks);
  }
  const s = scoreOdiSections(sections, minAnswered);
  if (!s.ok) {
    issues.push(dataQualityIssue('odi-incomplete', resource, { answered: s.answered }));
    return undefined;
  }
  return { value: s.value };
}

function scorePsfs(answers: Items, resource: string, issues: DataQualityIssue[]): Scored | undefined {
  const activities: PsfsActivityScore[] = [];
  for (const slot of PSFS_SLOTS) {
    const scoreAnswers = answers.get(slot.score) ?? [];
    const first = scoreAnswers[0];
    if (first === undefined) continue;
    const v = numericValue(first);
    if (v.kind !== 'number') {
      issues.push(dataQualityIssue('invalid-answer', resource, { linkId: slot.score }));
      continue;
    }
    if (!inRange('psfs', v.value)) {
      issues.push(dataQualityIssue('score-out-of-range', resource, { instrument: 'psfs', linkId: slot.score, value: v.value }));
      continue;
    }
    const label = str((answers.get(slot.activity) ?? [])[0], 'valueString');
    activities.push(label === undefined ? { id: slot.group, value: v.value } : { id: slot.group, label, value: v.value });
  }
  const scored = scorePsfsActivities(activities);
  if (scored.status !== 'scored') {
    issues.push(dataQualityIssue('unscorable-response', resource, { instrument: 'psfs', reason: scored.status }));
    return undefined;
  }
  return { value: scored.mean, activities };
}

/** Item carrying a coding of `codes`, from the Questionnaire. */
function linkIdsWithCode(qItems: Map<string, JsonObject>, system: string, codes: readonly string[]): string[] {
  const out: string[] = [];
  for (const [linkId, item] of qItems) {
    if (plainCodings(prop(item, 'code')).some((c) => c.system === system && c.code !== undefined && codes.includes(c.code))) {
      out.push(linkId);
    }
  }
  return out;
}

function scoreNprs(answers: Items, qItems: Map<string, JsonObject>, resource: string, issues: DataQualityIssue[]): Scored | undefined {
  // Our item, then an item the Questionnaire codes as NPRS, then the one numeric item of a one-item NRS form.
  let candidates = [NPRS_LINK_ID, ...linkIdsWithCode(qItems, ExternalSystem.loinc, [Loinc.nprs])].filter((l) => answers.has(l));
  if (candidates.length === 0) {
    candidates = [...answers.keys()].filter((l) => numericValue((answers.get(l) ?? [])[0]).kind === 'number');
    if (candidates.length !== 1) {
      issues.push(dataQualityIssue('unscorable-response', resource, { instrument: 'nprs', reason: 'no-answer' }));
      return undefined;
    }
  }
  const linkId = candidates[0] as string;
  const v = numericValue((answers.get(linkId) ?? [])[0]);
  if (v.kind !== 'number') {
    issues.push(dataQualityIssue('invalid-answer', resource, { linkId }));
    return undefined;
  }
  if (!inRange('nprs', v.value)) {
    issues.push(dataQualityIssue('score-out-of-range', resource, { instrument: 'nprs', linkId, value: v.value }));
    return undefined;
  }
  return { value: v.value };
}

/**
 * The score the response states itself (a read-only total item: our 'odi-score'/'psfs-score', the CMS form's
 * 'score', or any item the Questionnaire codes as the total). Narrative text is never read.
 */
function statedScore(instrument: Instrument, answers: Items, qItems: Map<string, JsonObject>): number | undefined {
  const linkIds =
    instrument === 'odi'
      ? [ODI_SCORE_LINK_ID, 'score', ...linkIdsWithCode(qItems, ExternalSystem.loinc, [Loinc.odiTotal])]
      : instrument === 'psfs'
        ? [PSFS_SCORE_LINK_ID, 'score', ...linkIdsWithCode(qItems, CodeSystemUrl.instrument, ['psfs'])]
        : [];
  for (const linkId of linkIds) {
    const v = numericValue((answers.get(linkId) ?? [])[0]);
    if (v.kind === 'number') return v.value;
  }
  return undefined;
}

/** Reports a stated score that differs from ours by more than rounding. */
export function compareStated(
  instrument: Instrument,
  computed: number,
  stated: number,
  resource: string,
  source: string,
  issues: DataQualityIssue[],
): void {
  if (Math.abs(computed - stated) > ROUNDING_TOLERANCE[instrument] + 1e-9) {
    issues.push(dataQualityIssue('score-disagreement', resource, { instrument, computed, stated, source }));
  }
}

/** Reads one QuestionnaireResponse with an already indexed set of Questionnaires. */
/** Scoring settings from the course configuration (`scores.odiMinAnswered`). */
export interface ScoringOptions {
  readonly odiMinAnswered?: number;
}

export function readQuestionnaireResponse(
  qr: unknown,
  questionnaires: QuestionnaireIndex,
  idOverride?: string,
  options: ScoringOptions = {},
): MapResult<ResponseScore> {
  const issues: DataQualityIssue[] = [];
  if (!isObject(qr) || str(qr, 'resourceType') !== 'QuestionnaireResponse') {
    return { value: undefined, issues: [dataQualityIssue('not-a-resource', undefined, { expected: 'QuestionnaireResponse' })] };
  }
  const id = idOverride ?? str(qr, 'id');
  if (id === undefined) return { value: undefined, issues: [dataQualityIssue('missing-id', undefined, { resourceType: 'QuestionnaireResponse' })] };
  const resource = `QuestionnaireResponse/${id}`;

  const canonical = str(qr, 'questionnaire');
  if (canonical === undefined) {
    issues.push(dataQualityIssue('unknown-questionnaire', resource, { reason: 'missing' }));
    return { value: undefined, issues };
  }
  let questionnaire: JsonObject | undefined;
  let instrument: Instrument | undefined;
  if (canonical.startsWith('#')) {
    questionnaire = containedResource(qr, canonical.slice(1), 'Questionnaire');
    issues.push(dataQualityIssue('contained-resource', resource, { element: 'questionnaire' }));
    if (questionnaire === undefined) {
      issues.push(dataQualityIssue('unresolved-reference', resource, { element: 'questionnaire' }));
      return { value: undefined, issues };
    }
    instrument = instrumentOfQuestionnaire(questionnaire, resource, issues);
  } else {
    questionnaire = findQuestionnaire(questionnaires, canonical);
    instrument = KNOWN_QUESTIONNAIRE_URLS[splitCanonical(canonical).url];
    if (instrument === undefined) {
      if (questionnaire === undefined) {
        issues.push(dataQualityIssue('unknown-questionnaire', resource, { url: splitCanonical(canonical).url.slice(0, 256) }));
        return { value: undefined, issues };
      }
      instrument = instrumentOfQuestionnaire(questionnaire, resource, issues);
    }
  }
  // A known Questionnaire that measures none of our instruments: not ours, nothing to note.
  if (instrument === undefined) return { value: undefined, issues };

  const status = str(qr, 'status');
  if (status === undefined) {
    issues.push(dataQualityIssue('missing-status', resource));
    return { value: undefined, issues };
  }
  if (!QR_STATUSES.has(status)) {
    issues.push(dataQualityIssue('invalid-status', resource, { status: status.slice(0, 32) }));
    return { value: undefined, issues };
  }
  if (!COUNTED_STATUSES.has(status)) return { value: undefined, issues };

  const authored = parseFhirDate(prop(qr, 'authored'));
  if (!authored.ok) {
    issues.push(
      authored.reason === 'missing'
        ? dataQualityIssue('missing-date', resource, { element: 'authored' })
        : dataQualityIssue('invalid-date', resource, { element: 'authored', reason: authored.reason }),
    );
    return { value: undefined, issues };
  }

  const answers = answersByLinkId(arr(qr, 'item'));
  const qItems = questionnaireItems(arr(questionnaire, 'item'));
  const scored =
    instrument === 'odi'
      ? scoreOdi(answers, qItems, resource, issues, options.odiMinAnswered)
      : instrument === 'psfs'
        ? scorePsfs(answers, resource, issues)
        : scoreNprs(answers, qItems, resource, issues);
  if (scored === undefined) return { value: undefined, issues };

  const stated = statedScore(instrument, answers, qItems);
  if (stated !== undefined) compareStated(instrument, scored.value, stated, resource, 'response-item', issues);

  const record: ScoreRecord =
    scored.activities !== undefined
      ? { id, instrument, date: authored.date, value: scored.value, activities: scored.activities }
      : { id, instrument, date: authored.date, value: scored.value };
  const enc = parseReference(prop(qr, 'encounter'));
  return { value: enc.kind === 'resource' ? { record, encounterId: enc.id } : { record }, issues };
}

/**
 * Scores one QuestionnaireResponse of ODI, PSFS or NPRS from its answers. `questionnaires` are Questionnaire
 * resources the caller has (needed for unknown canonicals and for answer codes without an ordinal extension).
 * Undefined when the response is not a counted response of ours or cannot be scored (then with an issue).
 * Never throws.
 */
export function scoreQuestionnaireResponse(
  qr: unknown,
  questionnaires: readonly unknown[] = [],
  options: ScoringOptions = {},
): MapResult<ScoreRecord> {
  const r = readQuestionnaireResponse(qr, indexQuestionnaires(questionnaires), undefined, options);
  return { value: r.value?.record, issues: r.issues };
}
