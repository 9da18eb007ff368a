/**
 * The engine alone, in this process (no HTTP): the FHIR mapping, the course evaluation and the cards, each timed on
 * its own so growth can be pinned to the stage that causes it.
 */
import type { Resource } from 'fhir/r4.js';
import { evaluateCourse, parseCourseConfig } from '../../src/course/index.js';
import { mapCourse, type CourseMapping } from '../../src/fhir/map/index.js';
import { buildCards } from '../../src/cds/cards/build-cards.js';
import { createCardRenderer } from '../../src/cds/cards/card-renderer.js';
import { join } from 'node:path';
import { median, round } from './stats.js';
import { PROJECT_ROOT, type BenchPatient } from './patients.js';

export interface EngineTiming {
  readonly consultations: number;
  readonly resources: number;
  /** evaluateCourse on the mapped CourseHistory: the course engine itself. */
  readonly engineMs: number;
  /** mapCourse: FHIR resources to CourseHistory. */
  readonly mapMs: number;
  /** buildCards from the evaluation (templates precompiled, as in the service). */
  readonly cardsMs: number;
  readonly findings: number;
  readonly cards: number;
  readonly iterations: number;
}

const courseConfig = parseCourseConfig({});
const renderer = createCardRenderer({ templatesDir: join(PROJECT_ROOT, 'cds-hooks', 'templates') });

export function timeEngine(patient: BenchPatient, minMs: number): EngineTiming {
  const of = (type: string): Resource[] => patient.resources.filter((r) => r.resourceType === type);
  const map = (): CourseMapping =>
    mapCourse({
      patientId: patient.patientId,
      hook: 'encounter-start',
      currentEncounterId: patient.encounterId,
      requestInstant: '2026-11-25T09:00:00Z',
      resources: {
        encounters: of('Encounter'),
        episodes: of('EpisodeOfCare'),
        carePlans: of('CarePlan'),
        observations: of('Observation'),
        questionnaireResponses: of('QuestionnaireResponse'),
        questionnaires: [],
      },
      scoresAvailable: true,
    });
  const mapping = map();
  if (!mapping.history) throw new Error(`no course mapped for ${patient.patientId}`);
  const history = mapping.history;
  const evaluate = () => evaluateCourse(history, mapping.referenceDate, courseConfig);
  const evaluation = evaluate();
  const cards = () =>
    buildCards(evaluation, { lang: 'da', renderer, newId: () => 'x', patientId: patient.patientId, encounterId: patient.encounterId, issues: mapping.issues });

  const mapSamples: number[] = [];
  const engineSamples: number[] = [];
  const cardSamples: number[] = [];
  let cardCount = 0;
  // Warm-up first (JIT), then at least `minMs` of measured rounds.
  for (let i = 0; i < 5; i++) {
    map();
    evaluate();
    cards();
  }
  const until = performance.now() + minMs;
  let iterations = 0;
  while (performance.now() < until || iterations < 10) {
    let t = performance.now();
    map();
    mapSamples.push(performance.now() - t);
    t = performance.now();
    evaluate();
    engineSamples.push(performance.now() - t);
    t = performance.now();
    cardCount = cards().length;
    cardSamples.push(performance.now() - t);
    iterations++;
  }
  return {
    consultations: patient.consultations,
    resources: patient.resources.length,
    engineMs: round(median(engineSamples), 3),
    mapMs: round(median(mapSamples), 3),
    cardsMs: round(median(cardSamples), 3),
    findings: evaluation.findings.length,
    cards: cardCount,
    iterations,
  };
}
