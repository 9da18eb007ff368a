import type { ScoreRecord } from '../../course/types.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { str, type JsonObject } from './guards.js';
import { instrumentIndex } from './instrument-index.js';
import { readScoreObservation } from './observation.js';
import type { QuestionnaireIndex } from './questionnaire-index.js';
import { compareStated, readQuestionnaireResponse, type ResponseScore, type ScoringOptions } from './questionnaire-response.js';
import { containedResource } from './resource-index.js';

const keyOf = (instrument: string, date: string, encounterId: string): string => `${instrument}|${date}|${encounterId}`;

/**
 * All the patient's score records. A response scored from its answers wins over an Observation of it (derivedFrom,
 * or same instrument, day and Encounter); a disagreement beyond rounding is noted. Indexed by id and key, so the
 * cost is linear in the number of records.
 */
export function mapScores(
  observations: readonly JsonObject[],
  responses: readonly JsonObject[],
  questionnaires: QuestionnaireIndex,
  issues: DataQualityIssue[],
  options: ScoringOptions,
): ScoreRecord[] {
  const byResponseId = new Map<string, ResponseScore>();
  const byKey = new Map<string, ResponseScore>();
  const add = (score: ResponseScore, responseId: string): void => {
    byResponseId.set(responseId, score);
    if (score.encounterId !== undefined) {
      byKey.set(keyOf(score.record.instrument, score.record.date, score.encounterId), score);
    }
  };
  for (const qr of responses) {
    const r = readQuestionnaireResponse(qr, questionnaires, undefined, options);
    issues.push(...r.issues);
    if (r.value !== undefined) add(r.value, r.value.record.id);
  }

  const kept: ScoreRecord[] = [];
  for (const obs of observations) {
    const r = readScoreObservation(obs, options.definitions);
    issues.push(...r.issues);
    const score = r.value;
    if (score === undefined) continue;
    const resource = `Observation/${score.record.id}`;
    let source: ResponseScore | undefined;
    for (const d of score.derivedFrom) {
      if (d.startsWith('#')) {
        // A response contained in the Observation: scored like any other, under an id that names its container.
        const contained = containedResource(obs, d.slice(1), 'QuestionnaireResponse');
        issues.push(dataQualityIssue('contained-resource', resource, { element: 'derivedFrom' }));
        if (contained === undefined) continue;
        const id = `${str(obs, 'id') ?? ''}${d}`;
        if (!byResponseId.has(id)) {
          const c = readQuestionnaireResponse(contained, questionnaires, id, options);
          issues.push(...c.issues);
          if (c.value !== undefined) add(c.value, id);
        }
      }
      const s = byResponseId.get(d.startsWith('#') ? `${str(obs, 'id') ?? ''}${d}` : d);
      if (s !== undefined && s.record.instrument === score.record.instrument) {
        source = s;
        break;
      }
    }
    if (source === undefined && score.encounterId !== undefined) {
      source = byKey.get(keyOf(score.record.instrument, score.record.date, score.encounterId));
    }
    if (source === undefined) {
      kept.push(score.record);
      continue;
    }
    const def = instrumentIndex(options.definitions).defs.instruments.get(score.record.instrument);
    if (def && source.record.value !== undefined && score.record.value !== undefined) {
      compareStated(def, source.record.value, score.record.value, resource, 'observation', issues);
    }
  }
  return [...[...byResponseId.values()].map((s) => s.record), ...kept];
}
