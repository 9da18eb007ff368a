import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirServerRefusal } from '../../src/cds/fhir-server-policy.js';
import { startMisbehavingFhirServer, type MisbehavingFhirServer } from '../support/misbehaving-fhir-server.js';
import { startService, type RunningService } from '../support/start-service.js';

/** What a newcomer's first wrong tries get: a status that fits and a text that names the fix. */
let svc: RunningService;
let stalled: MisbehavingFhirServer;

beforeAll(async () => {
  svc = await startService();
  stalled = await startMisbehavingFhirServer();
});
afterAll(async () => {
  await svc.close();
  await stalled.close();
});

async function call(method: string, path: string): Promise<{ status: number; allow: string | null; body: any }> {
  const response = await fetch(`${svc.url}${path}`, { method, ...(method === 'POST' || method === 'PUT' ? { headers: { 'Content-Type': 'application/json' }, body: '{}' } : {}) });
  const text = await response.text();
  return { status: response.status, allow: response.headers.get('allow'), body: text ? JSON.parse(text) : undefined };
}

const patientView = (fhirServer: string) => ({
  hook: 'patient-view',
  hookInstance: '0b0f8a8e-31b1-4d8e-9d1e-3d6f4f1b2a10',
  fhirServer,
  context: { userId: 'Practitioner/x', patientId: 'lbp-c2-patient' },
});

describe('a wrong method on a known path', () => {
  it.each([
    ['GET', '/cds-services/lbp-encounter-start', 'POST', /a CDS service takes POST with a hook request as JSON/],
    ['PUT', '/cds-services/lbp-patient-view', 'POST', /takes POST/],
    ['DELETE', '/cds-services/lbp-appointment-book', 'POST', /takes POST/],
    ['GET', '/cds-services/lbp-encounter-start/feedback', 'POST', /feedback is sent with POST/],
    ['POST', '/cds-services', 'GET, HEAD', /GET \/cds-services is the discovery document/],
    ['DELETE', '/cds-services', 'GET, HEAD', /discovery document/],
    ['POST', '/healthz', 'GET, HEAD', /\/healthz takes GET/],
  ])('%s %s answers 405 with Allow: %s and an OperationOutcome', async (method, path, allow, text) => {
    const { status, allow: header, body } = await call(method, path);
    expect(status).toBe(405);
    expect(header).toBe(allow);
    expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] });
    expect(body.issue[0].diagnostics).toMatch(text);
  });

  it('still answers 404 for a service that does not exist, whatever the method', async () => {
    for (const method of ['GET', 'POST']) {
      const { status, allow, body } = await call(method, '/cds-services/lbp-encounter-stat');
      expect(status).toBe(404);
      expect(allow).toBeNull();
      expect(body.issue[0].diagnostics).toBe('No CDS service with this id; GET /cds-services lists them');
    }
  });

  it('leaves the right methods alone: GET discovery, HEAD health, preflights', async () => {
    expect((await fetch(`${svc.url}/cds-services`)).status).toBe(200);
    expect((await fetch(`${svc.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${svc.url}/cds-services/lbp-encounter-start`, { method: 'OPTIONS' })).status).toBe(204);
  });
});

describe('errors that name the fix', () => {
  it('a development 403 for a non-loopback fhirServer names devFhirServers, not the servers it lists', async () => {
    const { status, body } = await svc.hook('lbp-patient-view', patientView('https://ehr.example-fysio.dk/fhir'));
    expect(status).toBe(403);
    expect(body.issue).toEqual([{
      severity: 'error',
      code: 'forbidden',
      expression: ['fhirServer'],
      diagnostics: 'This service may not contact the given fhirServer for this caller. An unauthenticated development call may use loopback FHIR servers and those listed in devFhirServers: add it to devFhirServers in the CDS_CONFIG file, or sign the call with a JWT of a trusted issuer.',
    }]);
  });

  it("a caller's unlisted server names its issuer's fhirServers setting; plain http in production says use https", () => {
    const issuer = { iss: 'https://ehr.a.dk', jwksUrl: 'https://ehr.a.dk/jwks', fhirServers: ['https://ehr.a.dk/fhir'] };
    const production = { mode: 'production', devFhirServers: [] } as const;
    expect(fhirServerRefusal('https://other.dk/fhir', { issuer }, production)?.fix).toMatch(/fhirServers \(trustedIssuers in the CDS_CONFIG file\)/);
    expect(fhirServerRefusal('https://other.dk/fhir', { issuer }, production)?.fix).not.toContain('ehr.a.dk');
    expect(fhirServerRefusal('http://ehr.a.dk/fhir', { issuer }, production)?.fix).toBe('Use https: production mode refuses plain http except to loopback.');
    expect(fhirServerRefusal('https://ehr.a.dk/fhir/', { issuer }, production)).toBeUndefined();
  });

  it('a fhirServer that is down gives a 412 naming it', async () => {
    const down = `http://127.0.0.1:${await closedPort()}/fhir`;
    const { status, body } = await svc.hook('lbp-patient-view', patientView(down));
    expect(status).toBe(412);
    expect(body.issue[0]).toMatchObject({ code: 'incomplete', expression: ['prefetch.encounters'] });
    expect(body.issue[0].diagnostics).toBe(`Could not obtain 'encounters' from prefetch or the FHIR server: the FHIR server ${down} could not be reached (ECONNREFUSED): check fhirServer and that the server is up`);
  });

  it('a fhirServer slower than the deadline gives a 412 naming it and the deadline setting', async () => {
    for (const type of ['Patient/lbp-c2-patient', 'Encounter', 'EpisodeOfCare', 'CarePlan', 'Observation', 'QuestionnaireResponse']) {
      stalled.misbehave(type, { kind: 'stall-body', delayMs: 2_000 });
    }
    const { status, body } = await svc.hook('lbp-patient-view', patientView(stalled.url));
    expect(status).toBe(412);
    expect(body.issue[0].diagnostics).toBe(`Could not obtain 'encounters' from prefetch or the FHIR server: the FHIR server ${stalled.url} did not answer within the call's deadline of ${svc.config.deadlineMs} ms (CDS_DEADLINE_MS or deadlineMs in CDS_CONFIG)`);
  });

  it('a FHIR server refusing the token says to check fhirAuthorization', async () => {
    for (const type of ['Patient/lbp-c2-patient', 'Encounter', 'EpisodeOfCare', 'CarePlan', 'Observation', 'QuestionnaireResponse']) {
      stalled.misbehave(type, { kind: 'status', status: 401 });
    }
    const { status, body } = await svc.hook('lbp-patient-view', patientView(stalled.url));
    expect(status).toBe(412);
    expect(body.issue[0].diagnostics).toContain(`the FHIR server ${stalled.url} answered 401: check fhirAuthorization`);
  });

  it('a call with neither prefetch nor fhirServer says which to send', async () => {
    const { fhirServer: _none, ...body } = patientView('');
    const { status, body: outcome } = await svc.hook('lbp-patient-view', body);
    expect(status).toBe(412);
    expect(outcome.issue[0].diagnostics).toMatch(/send it as prefetch \(GET \/cds-services lists the templates\), or send fhirServer and fhirAuthorization/);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
