import type { Definitions, InstrumentDefinition } from '../../course/definitions/types.js';
import type { DataQualityIssue } from '../data-quality.js';
import { isObject, plainCodings, prop, splitCanonical, str, type JsonObject } from './guards.js';
import { instrumentIndex } from './instrument-index.js';
import { instrumentOfQuestionnaireCodings } from './observation.js';

/** Provided Questionnaire resources by url (several versions possible). */
export type QuestionnaireIndex = ReadonlyMap<string, readonly JsonObject[]>;

/** The instrument a Questionnaire canonical names without fetching it (the registry's canonicals), if any. */
export function knownQuestionnaire(canonical: string, defs: Definitions): InstrumentDefinition | undefined {
  return instrumentIndex(defs).byQuestionnaire.get(splitCanonical(canonical).url);
}

export function indexQuestionnaires(questionnaires: unknown): QuestionnaireIndex {
  const byUrl = new Map<string, JsonObject[]>();
  for (const q of Array.isArray(questionnaires) ? questionnaires : []) {
    if (!isObject(q) || str(q, 'resourceType') !== 'Questionnaire') continue;
    const url = str(q, 'url');
    if (url === undefined) continue;
    const { url: bare } = splitCanonical(url);
    const list = byUrl.get(bare);
    if (list) list.push(q);
    else byUrl.set(bare, [q]);
  }
  return byUrl;
}

/** The provided Questionnaire for a canonical: the exact version when given and present, else any version. */
export function findQuestionnaire(index: QuestionnaireIndex, canonical: string): JsonObject | undefined {
  const { url, version } = splitCanonical(canonical);
  const list = index.get(url);
  if (!list || list.length === 0) return undefined;
  if (version !== undefined) {
    const exact = list.find((q) => str(q, 'version') === version);
    if (exact) return exact;
  }
  return list[0];
}

/** The instrument a Questionnaire resource measures, from its url or its code. */
export function instrumentOfQuestionnaire(q: JsonObject, resource: string, issues: DataQualityIssue[], defs: Definitions): InstrumentDefinition | undefined {
  const url = str(q, 'url');
  const byUrl = url === undefined ? undefined : knownQuestionnaire(url, defs);
  if (byUrl !== undefined) return byUrl;
  return instrumentOfQuestionnaireCodings(plainCodings(prop(q, 'code')), resource, issues, defs);
}

/**
 * Canonical URLs (without version) of the responses' Questionnaires that are neither recognised by URL nor among
 * `knownQuestionnaires`: the caller fetches these (Questionnaire?url=...) and maps again with them.
 */
export function unknownQuestionnaireUrls(responses: unknown, knownQuestionnaires: unknown, defs: Definitions): string[] {
  const index = indexQuestionnaires(knownQuestionnaires);
  const out = new Set<string>();
  for (const qr of Array.isArray(responses) ? responses : []) {
    const canonical = str(qr, 'questionnaire');
    if (canonical === undefined || canonical.startsWith('#')) continue;
    const { url } = splitCanonical(canonical);
    if (knownQuestionnaire(url, defs) !== undefined || index.has(url)) continue;
    out.add(url);
  }
  return [...out];
}
