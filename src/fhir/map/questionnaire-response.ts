import { ExternalSystem } from '../../canonical.js';
import type { Definitions, InstrumentDefinition } from '../../course/definitions/types.js';
import type { PsfsActivityScore, ScoreRecord, SubscaleScore } from '../../course/types.js';
import { scorePercentOfMax, scoreSubscales } from '../../instruments/scoring.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { arr, isObject, numericExtension, plainCodings, prop, str, type JsonObject } from './guards.js';
import { parseFhirDate } from './local-date.js';
import type { MapResult } from './map-result.js';
import {
  findQuestionnaire, indexQuestionnaires, instrumentOfQuestionnaire, knownQuestionnaire, type QuestionnaireIndex,
} from './questionnaire-index.js';
import { parseReference } from './references.js';
import { containedResource } from './resource-index.js';
import { inRange, numericValue, roundTo } from './score-value.js';

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
 * The ordinal score of one choice answer: the Coding's ordinalValue/itemWeight extension; else the answering
 * Questionnaire's answerOption for the same code; else the ordinal of that code in the instrument's own form; else
 * a plain number. Never the display text.
 */
function answerOrdinal(answer: unknown, qItem: JsonObject | undefined, def: InstrumentDefinition): number | undefined {
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
    if (system !== undefined && code !== undefined) return def.answerOrdinals[`${system}|${code}`];
    return undefined;
  }
  const n = numericValue(answer);
  return n.kind === 'number' ? n.value : undefined;
}

interface Scored {
  readonly value?: number;
  readonly activities?: readonly PsfsActivityScore[];
  readonly subscales?: readonly SubscaleScore[];
}

interface ScoreArgs {
  readonly def: InstrumentDefinition;
  readonly answers: Items;
  readonly qItems: Map<string, JsonObject>;
  readonly resource: string;
  readonly issues: DataQualityIssue[];
}

/** The ticks (valid ordinals 0..itemMax) of each item; an invalid answer is noted and skipped. */
function ticksOf({ def, answers, qItems, resource, issues }: ScoreArgs, linkIds: readonly string[]): number[][] {
  const itemMax = def.itemMax ?? 0;
  return linkIds.map((linkId) => {
    const ticks: number[] = [];
    for (const a of answers.get(linkId) ?? []) {
      const o = answerOrdinal(a, qItems.get(linkId), def);
      if (o === undefined || !Number.isInteger(o) || o < 0 || o > itemMax) {
        issues.push(dataQualityIssue('invalid-answer', resource, o === undefined ? { linkId } : { linkId, value: o }));
      } else ticks.push(o);
    }
    return ticks;
  });
}

function percentOfMax(args: ScoreArgs): Scored | undefined {
  const { def, resource, issues } = args;
  const sections = ticksOf(args, def.items);
  sections.forEach((ticks, i) => {
    if (ticks.length > 1) issues.push(dataQualityIssue('odi-double-tick', resource, { linkId: def.items[i] as string, answers: ticks.length }));
  });
  const r = scorePercentOfMax(sections, {
    itemCount: def.items.length, itemMax: def.itemMax ?? 0, minAnswered: def.minAnswered ?? def.items.length, decimals: def.decimals,
  });
  if (r.status !== 'scored') {
    issues.push(dataQualityIssue('odi-incomplete', resource, { answered: r.status === 'incomplete' ? r.answered : sections.filter((s) => s.length > 0).length }));
    return undefined;
  }
  return { value: r.percent };
}

function meanOfActivities({ def, answers, resource, issues }: ScoreArgs): Scored | undefined {
  const activities: PsfsActivityScore[] = [];
  for (const slot of def.activities) {
    const first = (answers.get(slot.rating) ?? [])[0];
    if (first === undefined) continue;
    const v = numericValue(first);
    if (v.kind !== 'number') {
      issues.push(dataQualityIssue('invalid-answer', resource, { linkId: slot.rating }));
      continue;
    }
    if (!inRange(def, v.value)) {
      issues.push(dataQualityIssue('score-out-of-range', resource, { instrument: def.id, linkId: slot.rating, value: v.value }));
      continue;
    }
    const label = str((answers.get(slot.text) ?? [])[0], 'valueString');
    activities.push(label === undefined ? { id: slot.group, value: v.value } : { id: slot.group, label, value: v.value });
  }
  if (activities.length === 0) {
    issues.push(dataQualityIssue('unscorable-response', resource, { instrument: def.id, reason: 'incomplete' }));
    return undefined;
  }
  return { value: roundTo(activities.reduce((s, a) => s + a.value, 0) / activities.length, def.decimals), activities };
}

/** Item carrying a coding of `codes`, from the Questionnaire. */
function linkIdsWithCoding(qItems: Map<string, JsonObject>, codings: readonly { system: string; code: string }[]): string[] {
  const out: string[] = [];
  for (const [linkId, item] of qItems) {
    if (plainCodings(prop(item, 'code')).some((c) => codings.some((k) => k.system === c.system && k.code === c.code))) out.push(linkId);
  }
  return out;
}

function singleItem({ def, answers, qItems, resource, issues }: ScoreArgs): Scored | undefined {
  // The form's item, then an item the answering Questionnaire codes as the score, then the one numeric answer.
  let candidates = [...def.items, ...linkIdsWithCoding(qItems, def.codings)].filter((l) => answers.has(l));
  if (candidates.length === 0) {
    candidates = [...answers.keys()].filter((l) => numericValue((answers.get(l) ?? [])[0]).kind === 'number');
    if (candidates.length !== 1) {
      issues.push(dataQualityIssue('unscorable-response', resource, { instrument: def.id, reason: 'no-answer' }));
      return undefined;
    }
  }
  const linkId = candidates[0] as string;
  const v = numericValue((answers.get(linkId) ?? [])[0]);
  if (v.kind !== 'number') {
    issues.push(dataQualityIssue('invalid-answer', resource, { linkId }));
    return undefined;
  }
  if (!inRange(def, v.value)) {
    issues.push(dataQualityIssue('score-out-of-range', resource, { instrument: def.id, linkId, value: v.value }));
    return undefined;
  }
  return { value: v.value };
}

function subscales(args: ScoreArgs): Scored | undefined {
  const { def, resource, issues } = args;
  const r = scoreSubscales(
    def.subscales.map((s) => ({ id: s.id, ordinals: ticksOf(args, s.items).map((t) => (t.length > 0 ? Math.max(...t) : undefined)) })),
    { itemMax: def.itemMax ?? 1, ...(def.minAnswered !== undefined ? { minAnswered: def.minAnswered } : {}), reverse: def.reverse === true, decimals: def.decimals },
  );
  for (const id of r.missing) issues.push(dataQualityIssue('subscale-incomplete', resource, { instrument: def.id, subscale: id }));
  if (r.scored.length === 0) return undefined;
  return { subscales: r.scored };
}

const METHODS = { 'percent-of-max': percentOfMax, 'mean-of-activities': meanOfActivities, 'single-item': singleItem, subscales } as const;

/**
 * The score the response states itself (a read-only total item of the form, the CMS form's 'score', or any item
 * the Questionnaire codes as the score). Narrative text is never read.
 */
function statedScore(def: InstrumentDefinition, answers: Items, qItems: Map<string, JsonObject>): number | undefined {
  if (def.method === 'single-item' || def.method === 'subscales') return undefined;
  for (const linkId of [...def.statedItems, 'score', ...linkIdsWithCoding(qItems, def.codings)]) {
    const v = numericValue((answers.get(linkId) ?? [])[0]);
    if (v.kind === 'number') return v.value;
  }
  return undefined;
}

/** Reports a stated score that differs from ours by more than rounding. */
export function compareStated(
  def: InstrumentDefinition,
  computed: number,
  stated: number,
  resource: string,
  source: string,
  issues: DataQualityIssue[],
): void {
  if (Math.abs(computed - stated) > def.roundingTolerance + 1e-9) {
    issues.push(dataQualityIssue('score-disagreement', resource, { instrument: def.id, computed, stated, source }));
  }
}

/** Scoring settings; the numbers (ODI's sections needed, ...) are the instruments' definitions. */
export interface ScoringOptions {
  readonly definitions: Definitions;
}

/** Reads one QuestionnaireResponse with an already indexed set of Questionnaires. */
export function readQuestionnaireResponse(
  qr: unknown,
  questionnaires: QuestionnaireIndex,
  idOverride: string | undefined,
  options: ScoringOptions,
): MapResult<ResponseScore> {
  const defs = options.definitions;
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
  let def: InstrumentDefinition | undefined;
  if (canonical.startsWith('#')) {
    questionnaire = containedResource(qr, canonical.slice(1), 'Questionnaire');
    issues.push(dataQualityIssue('contained-resource', resource, { element: 'questionnaire' }));
    if (questionnaire === undefined) {
      issues.push(dataQualityIssue('unresolved-reference', resource, { element: 'questionnaire' }));
      return { value: undefined, issues };
    }
    def = instrumentOfQuestionnaire(questionnaire, resource, issues, defs);
  } else {
    questionnaire = findQuestionnaire(questionnaires, canonical);
    def = knownQuestionnaire(canonical, defs);
    if (def === undefined) {
      if (questionnaire === undefined) {
        issues.push(dataQualityIssue('unknown-questionnaire', resource, { url: canonical.split('|')[0]!.slice(0, 256) }));
        return { value: undefined, issues };
      }
      def = instrumentOfQuestionnaire(questionnaire, resource, issues, defs);
    }
  }
  // A known Questionnaire that measures none of our instruments: not ours, nothing to note.
  if (def === undefined) return { value: undefined, issues };

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
  const scored = METHODS[def.method]({ def, answers, qItems, resource, issues });
  if (scored === undefined) return { value: undefined, issues };

  const stated = statedScore(def, answers, qItems);
  if (stated !== undefined && scored.value !== undefined) compareStated(def, scored.value, stated, resource, 'response-item', issues);

  const record: ScoreRecord = { id, instrument: def.id, date: authored.date, ...scored };
  const enc = parseReference(prop(qr, 'encounter'));
  return { value: enc.kind === 'resource' ? { record, encounterId: enc.id } : { record }, issues };
}

/**
 * Scores one QuestionnaireResponse of a registry instrument from its answers. `questionnaires` are Questionnaire
 * resources the caller has (needed for unknown canonicals and for answer codes without an ordinal extension).
 * Undefined when the response is not a counted response of ours or cannot be scored (then with an issue).
 * Never throws.
 */
export function scoreQuestionnaireResponse(
  qr: unknown,
  questionnaires: readonly unknown[],
  options: ScoringOptions,
): MapResult<ScoreRecord> {
  const r = readQuestionnaireResponse(qr, indexQuestionnaires(questionnaires), undefined, options);
  return { value: r.value?.record, issues: r.issues };
}
