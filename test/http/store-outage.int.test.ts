import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '../support/jwt.js';
import { startPostgres, type RunningPostgres } from '../support/postgres.js';
import { startService, type RunningService } from '../support/start-service.js';

/**
 * The service on PostgreSQL (CDS_DATABASE_URL), and what it answers when the database goes away: 503 with
 * Retry-After, nothing acknowledged; a token is never let through unchecked for reuse.
 */
const FEEDBACK = '/cds-services/lbp-patient-view/feedback';
let db: RunningPostgres;
let svc: RunningService;
let es: TestIssuer;

beforeAll(async () => {
  es = await createTestIssuer('https://ehr.example.dk');
  db = await startPostgres();
  const url = await db.createDatabase('outage');
  svc = await startService({ env: { CDS_DATABASE_URL: url }, trustedIssuers: [{ iss: es.iss, jwks: es.jwks, fhirServers: [] }] });
});
afterAll(async () => {
  await svc?.close().catch(() => undefined);
  await db?.close();
});

const item = (): Record<string, unknown> => ({ card: randomUUID(), outcome: 'accepted', acceptedSuggestions: [{ id: randomUUID() }], outcomeTimestamp: new Date().toISOString() });

describe('a service whose store is PostgreSQL', () => {
  it('stores feedback there and refuses a replayed token', async () => {
    expect(svc.service.store.kind).toBe('postgres');
    const token = `Bearer ${await es.sign(`${svc.url}${FEEDBACK}`)}`;
    expect((await svc.post(FEEDBACK, { feedback: [item()] }, { authorization: token })).status).toBe(200);
    expect(await svc.service.store.feedbackCount()).toBe(1);
    expect((await svc.post(FEEDBACK, { feedback: [item()] }, { authorization: token })).status).toBe(401);
  });

  it('answers 503 with Retry-After when the database is gone, for feedback and for any authenticated call', async () => {
    await db.close();
    const feedback = await svc.post(FEEDBACK, { feedback: [item()] }, { authorization: `Bearer ${await es.sign(`${svc.url}${FEEDBACK}`)}` });
    expect(feedback.status).toBe(503);
    expect(feedback.headers.get('retry-after')).toBe('2');
    expect(feedback.body.issue[0].code).toBe('transient');
    const discovery = await fetch(`${svc.url}/cds-services`, { headers: { authorization: `Bearer ${await es.sign(`${svc.url}/cds-services`)}` } });
    expect(discovery.status).toBe(503);
  }, 30_000);
});
