import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPatient, loadDemoBundle, loadDemoBundles } from '../../src/demo/patients.js';
import { prefetchFromBundle } from '../../src/demo/prefetch-from-bundle.js';
import { createFhirServer } from '../../src/sandbox/index.js';
import { createTestIssuer } from '../support/jwt.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * course-model.md: "no course" answers no cards; a patient that does not exist at all is an integration mistake,
 * which development mode states in an info card and production answers with no cards and a warning in the log.
 */
const GHOST = 'lbp-no-such-patient-4711';
const mid = findDemoPatient('course-2-mid-course')!;
const emptyBundle = { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] };
const call = (patientId: string, data: Record<string, unknown>) => ({
  hook: 'patient-view',
  hookInstance: '6a3c1a52-7e0b-4c55-9d1a-2f3b4c5d6e7f',
  context: { userId: 'Practitioner/x', patientId },
  ...data,
});
const ghostPrefetch = { patient: null, encounters: emptyBundle, episodes: emptyBundle, carePlans: emptyBundle, scores: emptyBundle, responses: emptyBundle };

describe('an unknown patient in development mode', () => {
  let svc: RunningService;
  beforeAll(async () => {
    const sandbox = await createFhirServer({ bundles: loadDemoBundles(PROJECT_ROOT) });
    svc = await startService({ env: { NODE_ENV: 'development' }, fhirRouter: sandbox.router });
  });
  afterAll(() => svc.close());

  it('gets an info card saying so when the FHIR server has no such Patient', async () => {
    const { status, body } = await svc.hook('lbp-patient-view', call(GHOST, { fhirServer: `${svc.url}/fhir` }));
    expect(status).toBe(200);
    expect(body.cards).toHaveLength(1);
    expect(body.cards[0]).toMatchObject({
      indicator: 'info',
      summary: 'Patienten findes ikke: ingen Patient-ressource med dette id (integrationsfejl)',
      detail: expect.stringContaining(`**Ingen patient med id \`${GHOST}\`.**`),
    });
  });

  it('gets it in English, and when the prefetch says there is no Patient (null)', async () => {
    const { body } = await svc.hook('lbp-patient-view', call(GHOST, { prefetch: ghostPrefetch }), { 'Accept-Language': 'en' });
    expect(body.cards.map((c: any) => c.summary)).toEqual(['Unknown patient: no Patient resource with this id (an integration mistake)']);
    expect(body.cards[0].detail).toContain('Check `context.patientId` and `fhirServer`');
  });

  it('is not confused with a patient who exists but has no course: no cards', async () => {
    const patient = { resourceType: 'Patient', id: 'lbp-no-course', birthDate: '1980-01-01' };
    const { status, body } = await svc.hook('lbp-patient-view', call('lbp-no-course', { prefetch: { ...ghostPrefetch, patient } }));
    expect(status).toBe(200);
    expect(body.cards).toEqual([]);
  });

  it('states an unknown encounter id in the next-consultation summary, not only in its detail', async () => {
    const prefetch = prefetchFromBundle(loadDemoBundle(PROJECT_ROOT, mid), mid.patientId);
    const body = { hook: 'encounter-start', hookInstance: '7b4d2b63-8f1c-4d66-8e2b-3a4c5d6e7f80', context: { userId: 'Practitioner/x', patientId: mid.patientId, encounterId: 'lbp-c2mid-enc-99' }, prefetch: { ...prefetch, encounter: null } };
    const da = await svc.hook('lbp-encounter-start', body);
    const next = da.body.cards.find((c: any) => c.source.topic?.code === 'next-consultation');
    expect(next.summary).toMatch(/^Aktuel konsultation \(encounterId\) ikke fundet · Anbefalet næste konsultation: /);
    expect(next.summary.length).toBeLessThan(140);
    const en = await svc.hook('lbp-encounter-start', body, { 'Accept-Language': 'en' });
    expect(en.body.cards.find((c: any) => c.source.topic?.code === 'next-consultation').summary).toMatch(/^Current encounter \(encounterId\) not found · Recommended next consultation: /);
    // A known encounter id leaves the summary as it was.
    const known = await svc.hook('lbp-encounter-start', { ...body, context: { ...body.context, encounterId: mid.currentEncounterId }, prefetch: prefetchFromBundle(loadDemoBundle(PROJECT_ROOT, mid), mid.patientId, mid.currentEncounterId) });
    expect(known.body.cards.find((c: any) => c.source.topic?.code === 'next-consultation').summary).toMatch(/^Anbefalet næste konsultation: /);
  });
});

describe('an unknown patient in production mode', () => {
  const PUBLIC = 'http://cds.example.test';
  let svc: RunningService;
  let dir: string;
  let sign: (path: string) => Promise<Record<string, string>>;
  beforeAll(async () => {
    const issuer = await createTestIssuer('https://ehr.example.test');
    dir = mkdtempSync(join(tmpdir(), 'lbp-ghost-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ trustedIssuers: [{ iss: issuer.iss, jwks: issuer.jwks, fhirServers: [] }] }));
    svc = await startService({ env: { NODE_ENV: 'production', CDS_CONFIG: join(dir, 'config.json'), PUBLIC_BASE_URL: PUBLIC } });
    sign = async (path) => ({ Authorization: `Bearer ${await issuer.sign(`${PUBLIC}${path}`)}` });
  });
  afterAll(async () => {
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers with no cards and a warning in the log that never carries the raw id', async () => {
    const before = svc.logs.length;
    const { status, body } = await svc.hook('lbp-patient-view', call(GHOST, { prefetch: ghostPrefetch }), await sign('/cds-services/lbp-patient-view'));
    expect(status).toBe(200);
    expect(body.cards).toEqual([]);
    const lines = svc.logs.slice(before).map((l) => JSON.parse(l) as Record<string, any>);
    const warning = lines.find((l) => l.level === 40);
    expect(warning?.msg).toMatch(/^unknown patient: no Patient resource for context\.patientId/);
    expect(warning).toMatchObject({ hookInstance: '6a3c1a52-7e0b-4c55-9d1a-2f3b4c5d6e7f', hook: 'patient-view', unknownPatient: true });
    expect(JSON.stringify(warning)).not.toContain(GHOST);
  });

  it('logs no such warning for a patient who exists', async () => {
    const before = svc.logs.length;
    const prefetch = prefetchFromBundle(loadDemoBundle(PROJECT_ROOT, mid), mid.patientId);
    const { body } = await svc.hook('lbp-patient-view', call(mid.patientId, { prefetch }), await sign('/cds-services/lbp-patient-view'));
    expect(body.cards.length).toBeGreaterThan(0);
    expect(svc.logs.slice(before).some((l) => l.includes('unknown patient'))).toBe(false);
  });
});
