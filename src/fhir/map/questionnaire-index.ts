import { PUBLIC_ODI_QUESTIONNAIRE_URL, QuestionnaireUrl } from '../../canonical.js';
import type { Instrument } from '../../course/types.js';
import type { DataQualityIssue } from '../data-quality.js';
import { isObject, plainCodings, prop, splitCanonical, str, type JsonObject } from './guards.js';
import { instrumentOfQuestionnaireCodings } from './observation.js';

/** Questionnaires recognised by canonical URL alone, without the resource. */
export const KNOWN_QUESTIONNAIRE_URLS: Readonly<Record<string, Instrument>> = {
  [QuestionnaireUrl.odi]: 'odi',
  [QuestionnaireUrl.psfs]: 'psfs',
  [QuestionnaireUrl.nprs]: 'nprs',
  [PUBLIC_ODI_QUESTIONNAIRE_URL]: 'odi',
};

/** Provided Questionnaire resources by url (several versions possible). */
export type QuestionnaireIndex = ReadonlyMap<string, readonly JsonObject[]>;

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

/** The instrument a Questionnaire resource measures, from its url or its code (LOINC 97908-8 / 72514-3 / ours). */
export function instrumentOfQuestionnaire(q: JsonObject, resource: string, issues: DataQualityIssue[]): Instrument | undefined {
  const url = str(q, 'url');
  const byUrl = url === undefined ? undefined : KNOWN_QUESTIONNAIRE_URLS[splitCanonical(url).url];
  if (byUrl !== undefined) return byUrl;
  return instrumentOfQuestionnaireCodings(plainCodings(prop(q, 'code')), resource, issues);
}

/**
 * Canonical URLs (without version) of the responses' Questionnaires that are neither recognised by URL nor among
 * `knownQuestionnaires`: the caller fetches these (Questionnaire?url=...) and maps again with them.
 */
export function unknownQuestionnaireUrls(responses: unknown, knownQuestionnaires: unknown): string[] {
  const index = indexQuestionnaires(knownQuestionnaires);
  const out = new Set<string>();
  for (const qr of Array.isArray(responses) ? responses : []) {
    const canonical = str(qr, 'questionnaire');
    if (canonical === undefined || canonical.startsWith('#')) continue;
    const { url } = splitCanonical(canonical);
    if (KNOWN_QUESTIONNAIRE_URLS[url] !== undefined || index.has(url)) continue;
    out.add(url);
  }
  return [...out];
}
