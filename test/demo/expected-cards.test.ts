/**
 * The catalogue's promises checked end to end on the real mapper and engine: each demo patient, evaluated at its
 * current Encounter as `encounter-start` would, produces findings of exactly its expected rules (besides
 * outcome-change and next-consultation), and the seed courses stay clean at every one of their consultations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Encounter, Resource } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { CodeSystemUrl } from '../../src/canonical.js';
import { type Evaluation } from '../../src/course/index.js';
import type { DemoPatient } from '../../src/demo/patients.js';
import { LOADED, ROOT } from './demo-bundles.js';
import { evaluateCourse } from '../support/engine.js';
import { mapCourse } from '../support/with-shipped.js';

const questionnaires: unknown[] = readdirSync(join(ROOT, 'fhir-resources'))
  .filter((f) => f.startsWith('Questionnaire-'))
  .map((f) => JSON.parse(readFileSync(join(ROOT, 'fhir-resources', f), 'utf8')) as unknown);

const ALWAYS_POSSIBLE: readonly string[] = ['outcome-change', 'next-consultation'];

function evaluateAt(demo: DemoPatient, resources: readonly Resource[], encounterId: string): Evaluation {
  const of = (type: string): Resource[] => resources.filter((r) => r.resourceType === type);
  const mapping = mapCourse({
    patientId: demo.patientId,
    hook: 'encounter-start',
    currentEncounterId: encounterId,
    // Only a fallback: every Encounter has a start, which is the reference date.
    requestInstant: '2026-11-25T09:00:00Z',
    resources: {
      encounters: of('Encounter'),
      episodes: of('EpisodeOfCare'),
      carePlans: of('CarePlan'),
      observations: of('Observation'),
      questionnaireResponses: of('QuestionnaireResponse'),
      questionnaires,
    },
    scoresAvailable: true,
  });
  expect(mapping.issues, `data-quality issues of ${demo.key}`).toEqual([]);
  if (!mapping.history) throw new Error(`${demo.key}: no course found at ${encounterId}`);
  return evaluateCourse(mapping.history, mapping.referenceDate);
}

function consultationCode(resources: readonly Resource[], encounterId: string): string | undefined {
  const encounter = resources.find((r): r is Encounter => r.resourceType === 'Encounter' && r.id === encounterId);
  return encounter?.type?.flatMap((t) => t.coding ?? []).find((c) => c.system === CodeSystemUrl.consultation)?.code;
}

const ruleIds = (e: Evaluation): string[] =>
  [...new Set(e.findings.map((f) => f.ruleId).filter((r) => !ALWAYS_POSSIBLE.includes(r)))].sort();

describe.each(LOADED.filter((l) => l.demo.currentEncounterId).map((l) => [l.demo.key, l] as const))(
  'the demo patient %s at its current Encounter',
  (_, { demo, resources }) => {
    it('produces findings of exactly the expected rules, caused by the current consultation', () => {
      const evaluation = evaluateAt(demo, resources, demo.currentEncounterId ?? '');
      expect(evaluation.hasCourse).toBe(true);
      expect(ruleIds(evaluation)).toEqual([...demo.expectedRuleIds].sort());
      for (const f of evaluation.findings.filter((x) => !ALWAYS_POSSIBLE.includes(x.ruleId) && x.ruleId !== 'course-type-unknown')) {
        expect(f.causedByCurrent, f.ruleId).toBe(true);
      }
      expect(evaluation.recommendations.length).toBeGreaterThan(0);
    });
  },
);

describe.each(LOADED.filter((l) => /^course-\d-(self|recurrent|persistent)/.test(l.demo.key)).map((l) => [l.demo.key, l] as const))(
  'the seed course %s',
  (_, { demo, resources }) => {
    it('breaks no rule at any of its consultations (only the 0265 reminder of course 3 is due)', () => {
      for (const id of demo.encounterIds) {
        const found = ruleIds(evaluateAt(demo, resources, id));
        const reminderDue = demo.courseType === 'persistent' && consultationCode(resources, id) === '0265';
        const expected = reminderDue ? ['individual-education-exception'] : [];
        expect(found, id).toEqual(expected);
      }
    });

    it('reports a clinically important improvement at the final consultation', () => {
      const finalId = demo.encounterIds.find((id) => consultationCode(resources, id) === '0267');
      const evaluation = evaluateAt(demo, resources, finalId ?? '');
      const odi = evaluation.outcome.changes.find((c) => c.instrument === 'odi');
      expect(odi?.improved).toBe(true);
      expect(odi?.clinicallyImportant).toBe(true);
    });
  },
);
