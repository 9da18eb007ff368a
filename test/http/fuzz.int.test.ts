import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Resource } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fhirPrefetchRequest,
  fhirServerRequest,
  hostileRequest,
  nearValidRequest,
  runFuzzCase,
  validRequest,
  type FuzzCase,
} from '../support/fuzz-arbitraries.js';
import { searchset, startMisbehavingFhirServer, type MisbehavingFhirServer } from '../support/misbehaving-fhir-server.js';
import { startService, type RunningService } from '../support/start-service.js';

/**
 * A bounded fuzz run over real HTTP (`npm run fuzz` runs the same cases longer): whatever is generated, the service
 * answers with a 2xx or 4xx (never a 5xx), every 200 is a valid CDS Hooks response, no error is logged, no promise
 * is left rejected, and the service still serves a valid call afterwards.
 */
const RUNS = { valid: 50, nearValid: 80, hostile: 60, fhirPrefetch: 70, fhirServer: 60 };

let svc: RunningService;
let fhir: MisbehavingFhirServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
const statuses: Record<string, Record<number, number>> = {};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  svc = await startService({ env: { CDS_DEADLINE_MS: '1000' } });
  fhir = await startMisbehavingFhirServer();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await svc?.close();
  await fhir?.close();
});

async function check(name: string, arbitrary: fc.Arbitrary<FuzzCase>, numRuns: number): Promise<void> {
  const counts: Record<number, number> = (statuses[name] = {});
  await fc.assert(
    fc.asyncProperty(arbitrary, async (c) => {
      const { status } = await runFuzzCase(svc, fhir, c);
      counts[status] = (counts[status] ?? 0) + 1;
    }),
    { numRuns },
  );
}

describe('fuzzing the hook endpoints', () => {
  it('answers valid requests for the demo patients with 200 or 412, never more', async () => {
    await check('valid', validRequest, RUNS.valid);
    expect(Object.keys(statuses.valid!).map(Number).every((s) => s === 200 || s === 412)).toBe(true);
    expect(statuses.valid![200]).toBeGreaterThan(0);
  }, 60_000);

  it('answers near-valid requests (values replaced or removed anywhere) without a 5xx', async () => {
    await check('nearValid', nearValidRequest, RUNS.nearValid);
  }, 60_000);

  it('answers hostile requests (arbitrary JSON, prototype keys, deep nesting, raw text) without a 5xx', async () => {
    await check('hostile', hostileRequest, RUNS.hostile);
    expect(statuses.hostile![400]).toBeGreaterThan(0);
  }, 60_000);

  it('reads generated FHIR data in prefetch without a 5xx, and answers some of it with cards', async () => {
    await check('fhirPrefetch', fhirPrefetchRequest, RUNS.fhirPrefetch);
    expect(statuses.fhirPrefetch![200]).toBeGreaterThan(0);
  }, 60_000);

  it('reads generated FHIR answers from a real server without a 5xx', async () => {
    await check('fhirServer', fhirServerRequest, RUNS.fhirServer);
  }, 60_000);

  it('answers 200 when a QuestionnaireResponse names its Questionnaire with a lone surrogate (found by fuzzing: was a 500)', async () => {
    const patientId = 'p1';
    fhir.serve('Encounter', searchset([{ resourceType: 'Encounter', id: 'e1', status: 'finished', subject: { reference: `Patient/${patientId}` } } as Resource]));
    for (const type of ['EpisodeOfCare', 'CarePlan', 'Observation', 'Questionnaire']) fhir.serve(type, searchset([]));
    fhir.serve('QuestionnaireResponse', searchset([{ resourceType: 'QuestionnaireResponse', id: 'q1', status: 'completed', questionnaire: '\ud800', subject: { reference: `Patient/${patientId}` } } as Resource]));
    const result = await svc.hook('lbp-patient-view', { hook: 'patient-view', hookInstance: randomUUID(), fhirServer: fhir.url, context: { userId: 'Practitioner/1', patientId } });
    expect(result.status).toBe(200);
  });

  it('logged no unexpected error, left no rejection unhandled, and still serves a valid call', async () => {
    expect(unhandled).toEqual([]);
    const errors = svc.logs.map((l) => JSON.parse(l) as { level: number; status?: number }).filter((l) => l.level >= 50 || (l.status ?? 0) >= 500);
    expect(errors).toEqual([]);
    const valid = fc.sample(validRequest, { numRuns: 1, seed: 42 })[0]!;
    expect((await runFuzzCase(svc, fhir, valid)).status).toBeLessThan(500);
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
  });
});
