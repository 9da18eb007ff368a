import { CodeSystemUrl } from '../canonical.js';
import { findDemoPatient, loadDemoBundle, type DemoPatient } from './patients.js';
import { prefetchFromBundle } from './prefetch-from-bundle.js';

/**
 * The example calls in cds-hooks/examples/, each built from a demo patient with a complete prefetch, so it works
 * as sent against any running service (`npm start`, or production with a JWT) without a FHIR server. Written by
 * scripts/build-cds-examples.ts; test/cds-hooks/examples.int.test.ts sends each file and compares the answer with
 * its *.response.json.
 */
export const EXAMPLES_DIR = 'cds-hooks/examples';
/** The demo's "today": patient-view evaluates at the time of the request, so the answer file is made at this one. */
export const EXAMPLES_NOW = '2026-11-25T12:00:00+01:00';

export interface CdsExample {
  /** File name without `.request.json` / `.response.json`. */
  readonly name: string;
  /** Path the request is POSTed to. */
  readonly path: string;
  readonly body: (projectRoot: string) => unknown;
}

const USER = 'Practitioner/fysio-7';

function demo(key: string): DemoPatient {
  const patient = findDemoPatient(key);
  if (!patient) throw new Error(`no demo patient ${key}`);
  return patient;
}

export const CDS_EXAMPLES: readonly CdsExample[] = [
  {
    // The main demo: the third 0266 of a compliant course 2 begins.
    name: 'lbp-encounter-start',
    path: '/cds-services/lbp-encounter-start',
    body: (root) => {
      const p = demo('course-2-mid-course');
      return {
        hook: 'encounter-start',
        hookInstance: '3f1b5c2e-8a4d-4c6f-9b2e-7d1a0c5e9f31',
        context: { userId: USER, patientId: p.patientId, encounterId: p.currentEncounterId },
        prefetch: prefetchFromBundle(loadDemoBundle(root, p), p.patientId, p.currentEncounterId),
      };
    },
  },
  {
    // Booking an individual education (0265) in course 2, where group education is the norm: a reminder.
    name: 'lbp-appointment-book',
    path: '/cds-services/lbp-appointment-book',
    body: (root) => {
      const p = demo('course-2-mid-course');
      return {
        hook: 'appointment-book',
        hookInstance: 'b7d2e915-6c4a-4f08-9e3d-5a1f8c2b6d70',
        context: {
          userId: USER,
          patientId: p.patientId,
          appointments: {
            resourceType: 'Bundle',
            type: 'collection',
            entry: [{
              resource: {
                resourceType: 'Appointment',
                id: 'apt-lbp-c2mid-07',
                status: 'proposed',
                serviceType: [{ coding: [{ system: CodeSystemUrl.consultation, code: '0265' }] }],
                start: '2026-11-30T10:00:00+01:00',
                end: '2026-11-30T10:45:00+01:00',
                participant: [
                  { actor: { reference: `Patient/${p.patientId}` }, status: 'accepted' },
                  { actor: { reference: USER }, status: 'accepted' },
                ],
              },
            }],
          },
        },
        prefetch: prefetchFromBundle(loadDemoBundle(root, p), p.patientId),
      };
    },
  },
  {
    // A completed course 2 opened by a clinician: its answer does not depend on the day of the call.
    name: 'lbp-patient-view',
    path: '/cds-services/lbp-patient-view',
    body: (root) => {
      const p = demo('course-2-recurrent');
      return {
        hook: 'patient-view',
        hookInstance: '9c0e4a7b-2d3f-4e51-8a6b-0f2c9d7e1b44',
        context: { userId: USER, patientId: p.patientId },
        prefetch: prefetchFromBundle(loadDemoBundle(root, p), p.patientId),
      };
    },
  },
  {
    // The clinician overrode a card of the encounter-start example, with a reason.
    name: 'lbp-encounter-start.feedback',
    path: '/cds-services/lbp-encounter-start/feedback',
    body: () => ({
      feedback: [{
        card: '4e0a3a1e-3283-4575-ab82-028d55fe2719',
        outcome: 'overridden',
        overrideReason: {
          reason: { system: 'http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes', code: 'does-not-align-preferences', display: 'Patientens ønsker eller præferencer' },
          userComment: 'Patienten ønsker at fortsætte med holdtræning.',
        },
        outcomeTimestamp: '2026-11-25T10:12:40+01:00',
      }],
    }),
  },
];
