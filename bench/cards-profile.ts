/**
 * `npx tsx bench/cards-profile.ts [seconds]` (under `node --cpu-prof --import tsx` to profile it): the mid-course
 * patient's cards built in a loop, in process: CPU time per call of buildCards as a whole, of the view models
 * alone and of the templates alone (rendering the same view models again).
 */
import type { Resource } from 'fhir/r4.js';
import { join } from 'node:path';
import { evaluateCourse } from '../src/course/index.js';
import { DEFAULT_COURSE_CONFIG } from '../src/fhir/definitions/shipped.js';
import { mapCourse } from '../src/fhir/map/index.js';
import { buildCards } from '../src/cds/cards/build-cards.js';
import { createCardRenderer } from '../src/cds/cards/card-renderer.js';
import { buildViewModel } from '../src/cds/cards/view-model.js';
import { RULE_IDS } from '../src/course/types.js';
import { midCoursePatient, PROJECT_ROOT } from './lib/patients.js';

const seconds = Number(process.argv[2] ?? 3);
const patient = midCoursePatient();
const renderer = createCardRenderer({ templatesDir: join(PROJECT_ROOT, 'cds-hooks', 'templates'), definitions: DEFAULT_COURSE_CONFIG.definitions });
const of = (type: string): Resource[] => patient.resources.filter((r) => r.resourceType === type);
const mapping = mapCourse({
  patientId: patient.patientId, hook: 'encounter-start', currentEncounterId: patient.encounterId, requestInstant: '2026-11-25T09:00:00Z',
  resources: { encounters: of('Encounter'), episodes: of('EpisodeOfCare'), carePlans: of('CarePlan'), observations: of('Observation'), questionnaireResponses: of('QuestionnaireResponse'), questionnaires: [] },
  scoresAvailable: true,
  definitions: DEFAULT_COURSE_CONFIG.definitions,
});
const evaluation = evaluateCourse(mapping.history!, mapping.referenceDate, DEFAULT_COURSE_CONFIG);
const ruleIds = RULE_IDS.filter((id) => id === 'next-consultation' || evaluation.findings.some((f) => f.ruleId === id));
const models = ruleIds.map((id) => [id, buildViewModel(evaluation, id, evaluation.findings.filter((f) => f.ruleId === id), 'da', [], DEFAULT_COURSE_CONFIG.definitions)] as const);

function time(label: string, fn: () => unknown): void {
  for (let i = 0; i < 2000; i++) fn();
  const until = performance.now() + seconds * 1000;
  const before = process.cpuUsage();
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
  }
  const used = process.cpuUsage(before);
  process.stdout.write(`${label}: ${((used.user + used.system) / 1000 / n).toFixed(4)} ms per call\n`);
}

time(`buildCards (${ruleIds.join(', ')})`, () =>
  buildCards(evaluation, { lang: 'da', renderer, newId: () => 'x', patientId: patient.patientId, encounterId: patient.encounterId, issues: mapping.issues, definitions: DEFAULT_COURSE_CONFIG.definitions }));
time('view models', () => ruleIds.map((id) => buildViewModel(evaluation, id, evaluation.findings.filter((f) => f.ruleId === id), 'da', [], DEFAULT_COURSE_CONFIG.definitions)));
time('templates', () => models.map(([id, vm]) => renderer.render('da', id, vm)));
