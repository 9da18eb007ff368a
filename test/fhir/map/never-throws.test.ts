import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CourseMappingInput } from '../../../src/fhir/map/index.js';
import { bundleResources, readJson } from './bundle-input.js';
import { SHIPPED_DEFINITIONS } from '../../../src/fhir/definitions/shipped.js';
import { mapCourse, scoreQuestionnaireResponse, toConsultation, toProposedConsultation, toScoreRecords, unknownQuestionnaireUrls } from '../../support/with-shipped.js';

const example = bundleResources(readJson('fhir-resources/examples/course-2-mid-course.json')).resources;

/** Any JSON, and JSON dressed as one of our resources so that the deeper paths are reached too. */
const resourceTypes = ['Encounter', 'EpisodeOfCare', 'CarePlan', 'Observation', 'QuestionnaireResponse', 'Questionnaire', 'Appointment'];
const looksLikeResource = fc.record({
  resourceType: fc.constantFrom(...resourceTypes),
  id: fc.oneof(fc.constantFrom('e1', 'ep1', 'q1', 'lbp-c2mid-episode'), fc.jsonValue()),
  status: fc.oneof(fc.constantFrom('finished', 'arrived', 'active', 'final', 'completed'), fc.jsonValue()),
  subject: fc.oneof(fc.constant({ reference: 'Patient/p1' }), fc.jsonValue()),
  patient: fc.oneof(fc.constant({ reference: 'Patient/p1' }), fc.jsonValue()),
  type: fc.jsonValue(),
  code: fc.jsonValue(),
  period: fc.oneof(fc.record({ start: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())) }), fc.jsonValue()),
  episodeOfCare: fc.jsonValue(),
  item: fc.jsonValue(),
  questionnaire: fc.oneof(fc.constantFrom('https://fhir.structured-course.dk/Questionnaire/odi', '#q', 'x|1'), fc.jsonValue()),
  valueQuantity: fc.jsonValue(),
  component: fc.jsonValue(),
  derivedFrom: fc.jsonValue(),
  contained: fc.jsonValue(),
  extension: fc.jsonValue(),
}, { requiredKeys: ['resourceType'] });
const anything = fc.oneof(fc.jsonValue(), looksLikeResource, fc.anything());
const list = fc.array(anything, { maxLength: 6 });

describe('the mapper on arbitrary input', () => {
  it('never throws, whatever JSON is in every input array', () => {
    fc.assert(
      fc.property(
        fc.record({
          encounters: list, episodes: list, carePlans: list, observations: list, questionnaireResponses: list,
          questionnaires: list, appointments: list,
        }),
        fc.constantFrom('encounter-start', 'patient-view', 'appointment-book'),
        list,
        fc.oneof(fc.constant('2026-11-25T09:00:00Z'), fc.string()),
        (resources, hook, proposed, requestInstant) => {
          const input = {
            patientId: 'p1', hook, currentEncounterId: 'e1', proposedAppointments: proposed, requestInstant,
            resources, scoresAvailable: true, definitions: SHIPPED_DEFINITIONS,
          } as CourseMappingInput;
          const m = mapCourse(input);
          expect(m.referenceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(Array.isArray(m.issues)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws when random JSON is mixed into a real patient\'s resources', () => {
    fc.assert(
      fc.property(list, list, list, (extraEncounters, extraScores, extraResponses) => {
        const m = mapCourse({
          patientId: 'lbp-c2mid-patient', hook: 'encounter-start', currentEncounterId: 'lbp-c2mid-enc-06',
          requestInstant: '2026-11-25T09:00:00Z', scoresAvailable: true,
          resources: {
            ...example,
            encounters: [...example.encounters, ...extraEncounters],
            observations: [...example.observations, ...extraScores],
            questionnaireResponses: [...extraResponses, ...example.questionnaireResponses],
          },
        });
        // The sound records still make the course.
        expect(m.episodeId).toBe('lbp-c2mid-episode');
        expect(m.history?.consultations.length).toBeGreaterThanOrEqual(6);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws from the single-resource functions, nor from input that is not even an object', () => {
    fc.assert(
      fc.property(anything, list, (x, qs) => {
        toConsultation(x);
        toProposedConsultation(x);
        toScoreRecords(x);
        scoreQuestionnaireResponse(x, qs);
        unknownQuestionnaireUrls(x, qs);
        mapCourse(x as CourseMappingInput);
      }),
      { numRuns: 500 },
    );
  });
});
