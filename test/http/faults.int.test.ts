import { randomUUID } from 'node:crypto';
import type { Observation, QuestionnaireResponse, Resource } from 'fhir/r4.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findDemoPatient, loadDemoBundle, type DemoPatient } from '../../src/demo/patients.js';
import {
  encounter,
  searchset,
  startMisbehavingFhirServer,
  type Misbehaviour,
  type MisbehavingFhirServer,
} from '../support/misbehaving-fhir-server.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * Fault injection at the service level: the real service reads a real FHIR server on 127.0.0.1 that misbehaves on
 * purpose. For every fault the answer is asserted (status, cards), it comes within the call's deadline plus a small
 * margin, the token never leaves the FHIR server named in the request, and the next healthy call is served as before.
 */
const TOKEN = 'fault-test-access-token-5c1d';
const DEADLINE_MS = 300;
/** Scheduling slack on a shared 2-core machine; the deadline itself is the service's own. */
const MARGIN_MS = 300;
const NOW = new Date('2026-11-25T12:05:00+01:00');
const TYPES = ['Encounter', 'EpisodeOfCare', 'CarePlan', 'Observation', 'QuestionnaireResponse', 'Questionnaire'] as const;

type Card = { summary: string; detail?: string; indicator: string; source: { topic: { code: string } } };

let svc: RunningService;
let fhir: MisbehavingFhirServer;
/** A second server on another port, i.e. another origin: it must never be contacted. */
let elsewhere: MisbehavingFhirServer;
const patient = findDemoPatient('edge-missing-final-scores') as DemoPatient;
const resources = (loadDemoBundle(PROJECT_ROOT, patient).entry ?? []).map((e) => e.resource as Resource);
const ofType = <T extends Resource>(type: string): T[] => resources.filter((r) => r.resourceType === type) as T[];
let baseline: Card[];

/** Every search and read of the demo patient answered correctly. */
function serveHealthy(): void {
  for (const type of TYPES) fhir.serve(type, searchset(ofType(type)));
  for (const r of resources) fhir.serve(`${r.resourceType}/${r.id}`, r);
}

async function encounterStart(lang = 'en'): Promise<{ status: number; body: any; ms: number; cards: Card[] }> {
  const result = await svc.hook(
    'lbp-encounter-start',
    {
      hook: 'encounter-start',
      hookInstance: randomUUID(),
      fhirServer: fhir.url,
      fhirAuthorization: { access_token: TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'lbp-cds' },
      context: { userId: 'Practitioner/pt-1', patientId: patient.patientId, encounterId: patient.currentEncounterId },
    },
    { 'Accept-Language': lang },
  );
  return { ...result, cards: result.status === 200 ? (result.body.cards as Card[]) : [] };
}

const topics = (cards: Card[]): string[] => cards.map((c) => c.source.topic.code).sort();
const text = (cards: Card[]): string => cards.map((c) => `${c.summary}\n${c.detail ?? ''}`).join('\n');

beforeAll(async () => {
  svc = await startService({ env: { CDS_DEADLINE_MS: String(DEADLINE_MS) }, now: () => NOW });
  fhir = await startMisbehavingFhirServer();
  elsewhere = await startMisbehavingFhirServer();
  elsewhere.serve('Encounter', searchset(ofType('Encounter')));
  serveHealthy();
  const first = await encounterStart();
  expect(first.status).toBe(200);
  baseline = first.cards;
});

afterAll(async () => {
  await svc?.close();
  await fhir?.close();
  await elsewhere?.close();
});

beforeEach(() => serveHealthy());

describe('the healthy baseline', () => {
  it('reads every kind of data and claims the final scores are missing, as the demo patient has none', () => {
    expect(topics(baseline)).toEqual(['missing-final-scores', 'next-consultation']);
    const missing = baseline.find((c) => c.source.topic.code === 'missing-final-scores')!;
    expect(missing.indicator).toBe('warning');
    expect(missing.summary).toMatch(/^Missing ODI and PSFS/);
  });
});

/** Faults of the Encounter search: without the history no honest answer exists, so each is a 412. */
const encounterFaults: Array<[string, (fhir: MisbehavingFhirServer, elsewhere: MisbehavingFhirServer) => void]> = [
  ['a 500', (f) => f.misbehave('Encounter', { kind: 'status', status: 500 })],
  ['a 401', (f) => f.misbehave('Encounter', { kind: 'status', status: 401 })],
  ['a 404', (f) => f.misbehave('Encounter', { kind: 'status', status: 404 })],
  ['a 429 with Retry-After', (f) => f.misbehave('Encounter', { kind: 'status', status: 429, retryAfterSeconds: 30 })],
  ['a 200 with an HTML login page', (f) => f.misbehave('Encounter', { kind: 'html' })],
  ['truncated JSON', (f) => f.misbehave('Encounter', { kind: 'truncated-json' })],
  ['a connection dropped mid-body', (f) => f.misbehave('Encounter', { kind: 'drop-connection', framing: 'content-length' })],
  ['a response slower than the deadline', (f) => f.serve('Encounter', searchset(ofType('Encounter')), { delayMs: 3000 })],
  ['a body that stalls after its headers', (f) => f.misbehave('Encounter', { kind: 'stall-body', delayMs: 3000 })],
  ['a 20 MB Bundle', (f) => f.misbehave('Encounter', { kind: 'huge', bytes: 20 * 1024 * 1024 })],
  ['a redirect to another host', (f, e) => f.misbehave('Encounter', { kind: 'redirect', location: e.urlOf('Encounter') })],
  ['a next link to another host', (f, e) => f.serve('Encounter', searchset(ofType('Encounter'), { next: e.urlOf('Encounter') }))],
  ['a next link loop', (f) => f.serve('Encounter', searchset(ofType('Encounter'), { next: f.urlOf('Encounter?patient=x') }))],
  ['a non-Bundle answer to a search', (f) => f.misbehave('Encounter', { kind: 'raw', body: '[{"resourceType":"Encounter"}]' })],
];

describe('when the Encounter history cannot be read', () => {
  for (const [name, inject] of encounterFaults) {
    it(`answers 412 within the deadline for ${name}, contacts no other host, and keeps serving`, async () => {
      const before = fhir.requests.length;
      inject(fhir, elsewhere);
      const failed = await encounterStart();
      expect(failed.status).toBe(412);
      expect(failed.body.resourceType).toBe('OperationOutcome');
      expect(failed.body.issue).toContainEqual(expect.objectContaining({ code: 'incomplete', expression: ['prefetch.encounters'] }));
      expect(JSON.stringify(failed.body)).not.toContain(TOKEN);
      expect(failed.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      expect(elsewhere.requests).toEqual([]);
      expect(fhir.requests.slice(before).every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);

      serveHealthy();
      const after = await encounterStart();
      expect(after.status).toBe(200);
      expect(topics(after.cards)).toEqual(topics(baseline));
    });
  }

  it('answers 412 when the EpisodeOfCare search fails, which the course type depends on', async () => {
    fhir.misbehave('EpisodeOfCare', { kind: 'status', status: 503 });
    const failed = await encounterStart();
    expect(failed.status).toBe(412);
    expect(failed.body.issue).toContainEqual(expect.objectContaining({ expression: ['prefetch.episodes'] }));
    expect(failed.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  });
});

/** Faults of the score searches only: limits are still checked; the score cards say the scores could not be read. */
const scoreFaults: Array<[string, Misbehaviour | 'slow' | 'foreign-next']> = [
  ['a 500', { kind: 'status', status: 500 }],
  ['a 403', { kind: 'status', status: 403 }],
  ['an HTML page', { kind: 'html' }],
  ['truncated JSON', { kind: 'truncated-json' }],
  ['answers slower than the deadline', 'slow'],
  ['a next link to another host', 'foreign-next'],
];

describe('when only the scores cannot be read', () => {
  for (const [name, fault] of scoreFaults) {
    it(`still checks the limits and says the scores could not be read, never that they are missing, for ${name}`, async () => {
      for (const type of ['Observation', 'QuestionnaireResponse']) {
        if (fault === 'slow') fhir.serve(type, searchset(ofType(type)), { delayMs: 3000 });
        else if (fault === 'foreign-next') fhir.serve(type, searchset(ofType(type), { next: elsewhere.urlOf(type) }));
        else fhir.misbehave(type, fault);
      }
      const result = await encounterStart();
      expect(result.status).toBe(200);
      expect(result.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      // The course was evaluated: the next step is still recommended.
      expect(topics(result.cards)).toContain('next-consultation');
      const final = result.cards.find((c) => c.source.topic.code === 'missing-final-scores');
      expect(final?.summary).toBe('Scores for the final consultation could not be read from the record');
      expect(final?.indicator).toBe('info');
      expect(text(result.cards)).not.toMatch(/\bMissing\b/);
      expect(elsewhere.requests).toEqual([]);
    });
  }

  it('says so in Danish too, without claiming a missing score', async () => {
    fhir.misbehave('Observation', { kind: 'status', status: 500 });
    fhir.misbehave('QuestionnaireResponse', { kind: 'status', status: 500 });
    const healthy = await (async () => {
      serveHealthy();
      return encounterStart('da');
    })();
    const missingClaim = healthy.cards.find((c) => c.source.topic.code === 'missing-final-scores')!.summary;
    fhir.misbehave('Observation', { kind: 'status', status: 500 });
    fhir.misbehave('QuestionnaireResponse', { kind: 'status', status: 500 });
    const result = await encounterStart('da');
    expect(result.status).toBe(200);
    const final = result.cards.find((c) => c.source.topic.code === 'missing-final-scores')!;
    expect(final.summary).not.toBe(missingClaim);
    expect(text(result.cards)).not.toContain(missingClaim);
    expect(final.indicator).toBe('info');
  });

  it('treats the scores as unreadable when only the QuestionnaireResponses fail, since scores are derived from both', async () => {
    fhir.misbehave('QuestionnaireResponse', { kind: 'status', status: 500 });
    const result = await encounterStart();
    expect(result.status).toBe(200);
    expect(result.cards.find((c) => c.source.topic.code === 'missing-final-scores')?.summary)
      .toBe('Scores for the final consultation could not be read from the record');
  });
});

describe('when the CarePlan search fails', () => {
  it('answers 200 with the same cards, since the plan only adds to what the Encounters say', async () => {
    fhir.misbehave('CarePlan', { kind: 'status', status: 500 });
    const result = await encounterStart();
    expect(result.status).toBe(200);
    expect(topics(result.cards)).toEqual(topics(baseline));
  });
});

describe('resources of another patient in the answers', () => {
  it('are not counted: a foreign patient\'s Encounters and final scores change nothing', async () => {
    const other = 'someone-else-patient';
    const foreignEncounters = ofType('Encounter').map((e) => ({ ...e, id: `foreign-${e.id}`, subject: { reference: `Patient/${other}` } }));
    const finalDay = '2026-11-25T08:00:00+01:00';
    const foreignScores = ofType<Observation>('Observation').map((o) => ({
      ...o, id: `foreign-${o.id}`, subject: { reference: `Patient/${other}` }, encounter: { reference: `Encounter/foreign-${patient.currentEncounterId}` },
      effectiveDateTime: finalDay, derivedFrom: [],
    }));
    const foreignResponses = ofType<QuestionnaireResponse>('QuestionnaireResponse').map((q) => ({
      ...q, id: `foreign-${q.id}`, subject: { reference: `Patient/${other}` }, author: { reference: `Patient/${other}` }, authored: finalDay,
    }));
    fhir.serve('Encounter', searchset([...ofType('Encounter'), ...foreignEncounters, encounter('foreign-x', other)]));
    fhir.serve('Observation', searchset([...ofType('Observation'), ...foreignScores]));
    fhir.serve('QuestionnaireResponse', searchset([...ofType('QuestionnaireResponse'), ...foreignResponses]));
    const result = await encounterStart();
    expect(result.status).toBe(200);
    // Counted, the copies would put two consultations on every day and supply the missing final scores.
    expect(topics(result.cards)).toEqual(topics(baseline));
    expect(result.cards.find((c) => c.source.topic.code === 'missing-final-scores')?.summary).toMatch(/^Missing ODI and PSFS/);
  });
});

describe('after all the faults', () => {
  it('still answers discovery, health and readiness', async () => {
    const [discovery, health, ready] = await Promise.all(['/cds-services', '/healthz', '/readyz'].map((p) => fetch(`${svc.url}${p}`)));
    expect([discovery!.status, health!.status, ready!.status]).toEqual([200, 200, 200]);
    expect(svc.logs.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
  });
});
