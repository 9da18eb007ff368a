import { randomUUID } from 'node:crypto';
import type { Encounter } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, loadDemoBundle, type DemoPatient } from '../../src/demo/patients.js';
import { startFhirServer } from '../../src/sandbox/index.js';
import { prefetchFromBundle } from '../support/prefetch-from-bundle.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * The three courses of the source document, evaluated at every consultation through both paths the spec offers:
 * a full prefetch, and no prefetch at all (the service reads the EHR's FHIR server with the bearer token).
 */
const TOKEN = 'test-access-token-7f3a9c';
const SEED = ['course-1-self-training', 'course-2-recurrent', 'course-3-persistent'];

type Card = { summary: string; indicator: string; source: { topic: { code: string } }; suggestions?: { uuid: string; isRecommended?: boolean; actions: { resource: { serviceType?: { coding: { code: string }[] }[] } }[] }[]; uuid: string };

const withoutIds = (cards: Card[]): unknown => JSON.parse(JSON.stringify(cards, (k, v) => (k === 'uuid' || k === 'id' ? undefined : v)));
const recommended = (cards: Card[]): string[] =>
  (cards.find((c) => c.source.topic.code === 'next-consultation')?.suggestions ?? []).map(
    (s) => s.actions[0]?.resource.serviceType?.[0]?.coding[0]?.code ?? '?',
  );

describe('the seed courses through both data paths', () => {
  let svc: RunningService;
  let fhir: Awaited<ReturnType<typeof startFhirServer>>;

  beforeAll(async () => {
    const bundles = SEED.map((key) => loadDemoBundle(PROJECT_ROOT, DEMO_PATIENTS.find((p) => p.key === key)!));
    fhir = await startFhirServer({ bundles, requireBearer: TOKEN, recordAuthorization: true });
    svc = await startService();
  });
  afterAll(async () => {
    await svc.close();
    await fhir.close();
  });

  for (const key of SEED) {
    it(`${key}: same cards from prefetch and from the FHIR server at every consultation, the next step recommended, no warning`, async () => {
      const patient = DEMO_PATIENTS.find((p) => p.key === key) as DemoPatient;
      const bundle = loadDemoBundle(PROJECT_ROOT, patient);
      const encounters = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Encounter => r?.resourceType === 'Encounter');
      const code = (id: string): string => encounters.find((e) => e.id === id)?.type?.[0]?.coding?.[0]?.code ?? '?';
      const seenBefore = fhir.server.authorizations.length;
      for (const [index, encounterId] of patient.encounterIds.entries()) {
        const context = { userId: 'Practitioner/pt-1', patientId: patient.patientId, encounterId };
        const viaPrefetch = await svc.hook('lbp-encounter-start', {
          hook: 'encounter-start', hookInstance: randomUUID(), context,
          prefetch: prefetchFromBundle(bundle, patient.patientId, encounterId),
        });
        const viaFhir = await svc.hook('lbp-encounter-start', {
          hook: 'encounter-start', hookInstance: randomUUID(), context, fhirServer: fhir.url,
          fhirAuthorization: { access_token: TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'lbp-cds' },
        });
        expect(viaPrefetch.status).toBe(200);
        expect(viaFhir.status).toBe(200);
        expect(withoutIds(viaFhir.body.cards)).toEqual(withoutIds(viaPrefetch.body.cards));
        const cards = viaPrefetch.body.cards as Card[];
        expect(cards.filter((c) => c.indicator !== 'info').map((c) => c.source.topic.code), `warnings at ${encounterId}`).toEqual([]);
        const next = patient.encounterIds[index + 1];
        if (next) {
          const codes = recommended(cards);
          // The step the course actually took next is among the ranked suggestions. (Which one ranks first follows
          // the algorithm: a step that may repeat, e.g. a second 0263, outranks the next step; the engine's own seed
          // walk pins rank 1 on timelines where that is unambiguous.)
          expect(codes, `after ${encounterId} (${code(encounterId)})`).toContain(code(next));
        }
      }
      const seen = fhir.server.authorizations.slice(seenBefore);
      expect(seen.length).toBeGreaterThan(patient.encounterIds.length * 5);
      expect(seen.every((a) => a === `Bearer ${TOKEN}`)).toBe(true);
    });
  }
});
