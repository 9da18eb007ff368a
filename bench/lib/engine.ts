/**
 * The engine alone, in this process (no HTTP): the FHIR mapping, the course evaluation and the cards, each timed on
 * its own so growth can be pinned to the stage that causes it. Times are this process's CPU time (user + system)
 * per evaluation, over batches of evaluations: other processes on a shared machine slow the wall clock, not this.
 */
import type { Resource } from 'fhir/r4.js';
import { join } from 'node:path';
import { evaluateCourse } from '../../src/course/index.js';
import { DEFAULT_COURSE_CONFIG } from '../../src/fhir/definitions/shipped.js';
import { mapCourse, type CourseMapping } from '../../src/fhir/map/index.js';
import { buildCards } from '../../src/cds/cards/build-cards.js';
import { createCardRenderer } from '../../src/cds/cards/card-renderer.js';
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
}

const courseConfig = DEFAULT_COURSE_CONFIG;
const renderer = createCardRenderer({ templatesDir: join(PROJECT_ROOT, 'cds-hooks', 'templates'), definitions: courseConfig.definitions });

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Median CPU ms per run of `fn`, over batches of at least ~5 ms each, for about `budgetMs` in all. */
function timeStage(fn: () => unknown, budgetMs: number): number {
  for (let i = 0; i < 5; i++) fn(); // JIT warm-up
  const once = cpuMs();
  fn();
  const single = Math.max(cpuMs() - once, 0.001);
  const batch = Math.max(1, Math.ceil(5 / single));
  const samples: number[] = [];
  const until = performance.now() + budgetMs;
  while (samples.length < 5 || (performance.now() < until && samples.length < 200)) {
    const start = cpuMs();
    for (let i = 0; i < batch; i++) fn();
    samples.push((cpuMs() - start) / batch);
  }
  return median(samples);
}

export function timeEngine(patient: BenchPatient, budgetMs: number): EngineTiming {
  const of = (type: string): Resource[] => patient.resources.filter((r) => r.resourceType === type);
  const input = {
    patientId: patient.patientId,
    hook: 'encounter-start' as const,
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
    definitions: courseConfig.definitions,
  };
  const map = (): CourseMapping => mapCourse(input);
  const mapping = map();
  if (!mapping.history) throw new Error(`no course mapped for ${patient.patientId}`);
  const history = mapping.history;
  const evaluate = () => evaluateCourse(history, mapping.referenceDate, courseConfig);
  const evaluation = evaluate();
  const cards = () =>
    buildCards(evaluation, { lang: 'da', renderer, newId: () => 'x', patientId: patient.patientId, encounterId: patient.encounterId, issues: mapping.issues, definitions: courseConfig.definitions });

  return {
    consultations: patient.consultations,
    resources: patient.resources.length,
    engineMs: round(timeStage(evaluate, budgetMs / 3), 3),
    mapMs: round(timeStage(map, budgetMs / 3), 3),
    cardsMs: round(timeStage(cards, budgetMs / 3), 3),
    findings: evaluation.findings.length,
    cards: cards().length,
  };
}
