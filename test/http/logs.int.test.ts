import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Patient } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, loadDemoBundle } from '../../src/demo/patients.js';
import { createLogger } from '../../src/logger.js';
import { startFhirServer, type RunningFhirServer } from '../../src/sandbox/index.js';
import { createTestIssuer, type TestIssuer } from '../support/jwt.js';
import { searchset, startMisbehavingFhirServer, type MisbehavingFhirServer } from '../support/misbehaving-fhir-server.js';
import { prefetchFromBundle } from '../support/prefetch-from-bundle.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * Logs are for operators, not a copy of the record: every demo patient goes through every data path, the error
 * paths included, with the service's log captured; none of the test data's secrets (access token, JWTs, CPR
 * numbers, patient names) may appear in it, while each request line still says what an operator needs.
 */
const TOKEN = 'log-test-access-token-0b7e9d2f';
const bundles = DEMO_PATIENTS.map((p) => ({ patient: p, bundle: loadDemoBundle(PROJECT_ROOT, p) }));

/** What the test data holds that must never be logged: each patient's CPR number and every part of their name. */
const patientSecrets = (() => {
  const secrets = new Set<string>();
  for (const { bundle } of bundles) {
    for (const entry of bundle.entry ?? []) {
      if (entry.resource?.resourceType !== 'Patient') continue;
      const patient = entry.resource as Patient;
      for (const id of patient.identifier ?? []) if (id.value) secrets.add(id.value);
      for (const name of patient.name ?? []) {
        for (const part of [name.family, ...(name.given ?? []), name.text]) if (part) secrets.add(part);
      }
    }
  }
  return [...secrets];
})();

let es: TestIssuer;
let svc: RunningService;
let fhir: RunningFhirServer;
let broken: MisbehavingFhirServer;
const jwts: string[] = [];

async function signed(path: string): Promise<Record<string, string>> {
  const jwt = await es.sign(`${svc.url}${path}`);
  jwts.push(jwt);
  return { authorization: `Bearer ${jwt}`, 'accept-language': 'en' };
}
const fhirAuthorization = { access_token: TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'lbp-cds' };

beforeAll(async () => {
  es = await createTestIssuer('https://ehr.example.dk', 'ES384');
  fhir = await startFhirServer({ bundles: bundles.map((b) => b.bundle), requireBearer: TOKEN });
  broken = await startMisbehavingFhirServer();
  broken.misbehave('Encounter', { kind: 'status', status: 500 });
  broken.serve('EpisodeOfCare', searchset([]));
  svc = await startService({ trustedIssuers: [{ iss: es.iss, jwks: es.jwks, fhirServers: [fhir.url, broken.url] }] });
});
afterAll(async () => {
  await svc?.close();
  await fhir?.close();
  await broken?.close();
});

describe('the log of a session with every demo patient through every path', () => {
  const hookCalls: Array<{ hookInstance: string; serviceId: string; topics: string[] }> = [];

  beforeAll(async () => {
    expect(patientSecrets.length).toBeGreaterThan(DEMO_PATIENTS.length);
    for (const { patient, bundle } of bundles) {
      const hook = patient.currentEncounterId ? 'encounter-start' : 'patient-view';
      const serviceId = `lbp-${hook}`;
      const context = { userId: 'Practitioner/pt-1', patientId: patient.patientId, ...(patient.currentEncounterId ? { encounterId: patient.currentEncounterId } : {}) };
      for (const data of [
        { prefetch: prefetchFromBundle(bundle, patient.patientId, patient.currentEncounterId) },
        { fhirServer: fhir.url, fhirAuthorization },
      ]) {
        const hookInstance = randomUUID();
        const result = await svc.hook(serviceId, { hook, hookInstance, context, ...data }, await signed(`/cds-services/${serviceId}`));
        expect(result.status).toBe(200);
        hookCalls.push({ hookInstance, serviceId, topics: result.body.cards.map((c: any) => c.source.topic.code) });
        const uuids: string[] = result.body.cards.map((c: any) => c.uuid);
        const feedback = await svc.post(`/cds-services/${serviceId}/feedback`, {
          feedback: uuids.slice(0, 1).map((card) => ({
            card, outcome: 'overridden', outcomeTimestamp: new Date().toISOString(),
            // Free text from the clinician naming the patient: neither stored nor logged.
            overrideReason: { reason: { code: 'PAT', system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', display: 'patient request' }, userComment: `Talked with ${patientSecrets.join(' ')}` },
          })),
        }, await signed(`/cds-services/${serviceId}/feedback`));
        expect([200, 400]).toContain(feedback.status);
      }
    }
    // The error paths, each carrying patient data and secrets in what they were sent.
    const { patient, bundle } = bundles[0]!;
    const prefetch = prefetchFromBundle(bundle, patient.patientId);
    const secretsInBody = { patientId: patient.patientId, userId: `Practitioner/${patientSecrets[0]}`, note: patientSecrets.join(' ') };
    const calls: Array<[string, unknown, Record<string, string>]> = [
      ['bad JWT', { hook: 'patient-view', hookInstance: randomUUID(), context: secretsInBody, prefetch }, { authorization: `Bearer ${jwts[0]}x` }],
      ['replayed JWT', { hook: 'patient-view', hookInstance: randomUUID(), context: secretsInBody, prefetch }, { authorization: `Bearer ${jwts[0]}` }],
      ['invalid request', { hook: 'patient-view', hookInstance: patientSecrets[1], context: { ...secretsInBody, patientId: patientSecrets[0] }, prefetch }, await signed('/cds-services/lbp-patient-view')],
      ['forbidden FHIR server', { hook: 'patient-view', hookInstance: randomUUID(), context: secretsInBody, fhirServer: `http://127.0.0.1:1/${patientSecrets[0]}`, fhirAuthorization }, await signed('/cds-services/lbp-patient-view')],
      ['unreadable FHIR server', { hook: 'patient-view', hookInstance: randomUUID(), context: secretsInBody, fhirServer: broken.url, fhirAuthorization }, await signed('/cds-services/lbp-patient-view')],
      ['not JSON', `{"hook": "${patientSecrets.join('", "')}", ${TOKEN}`, await signed('/cds-services/lbp-patient-view')],
    ];
    for (const [name, body, headers] of calls) {
      const result = await svc.post('/cds-services/lbp-patient-view', body, headers);
      expect(result.status, name).toBeGreaterThanOrEqual(400);
      expect(result.status, name).toBeLessThan(500);
    }
  }, 60_000);

  it('names patients only by a keyed hash: no patient id (which may be a CPR number) in any line', () => {
    const log = svc.logs.join('');
    const ids = bundles.map((b) => b.patient.patientId);
    expect(ids.filter((id) => log.includes(id))).toEqual([]);
    const hashes = svc.logs.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.hook).map((l) => l.hook.patient as string);
    expect(hashes.length).toBeGreaterThan(ids.length);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{16}$/);
    // One patient, one hash (so an operator can follow a patient's calls); different patients, different hashes.
    expect(new Set(hashes).size).toBe(new Set(ids).size);
  });

  it('contains no access token, JWT, CPR number or patient name', () => {
    const log = svc.logs.join('');
    expect(log.length).toBeGreaterThan(1000);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('Bearer');
    for (const jwt of jwts) {
      expect(log).not.toContain(jwt.split('.')[2]);
      expect(log).not.toContain(jwt.slice(0, 60));
    }
    // Whole words only, so that a short given name inside an unrelated word is not a false alarm.
    const hits = patientSecrets.flatMap((secret) => {
      const word = new RegExp(`(^|[^\\p{L}\\d])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\d])`, 'u');
      return svc.logs.filter((line) => word.test(line)).map((line) => `${secret} in ${line.slice(0, 400)}`);
    });
    expect(hits).toEqual([]);
  });

  it('is one JSON object per line, each request line with its id, status and duration', () => {
    const lines = svc.logs.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThan(DEMO_PATIENTS.length * 4);
    for (const line of requests) {
      expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(line.service).toBe('structured-course-cds');
      expect(typeof line.status).toBe('number');
      expect(typeof line.ms).toBe('number');
      expect(typeof line.time).toBe('string');
    }
    expect(new Set(requests.map((l) => l.requestId)).size).toBe(requests.length);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('names, for each hook call, the CDS service, the hook instance, the issuer and the card topics', () => {
    const lines = svc.logs.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.msg === 'request' && l.hook);
    for (const call of hookCalls) {
      const line = lines.find((l) => l.hook.hookInstance === call.hookInstance);
      expect(line, call.hookInstance).toBeDefined();
      expect(line!.cdsService).toBe(call.serviceId);
      expect(line!.iss).toBe(es.iss);
      expect(line!.hook.topics).toEqual(call.topics);
      expect(typeof line!.hook.fhirMs).toBe('number');
    }
  });

  it('gives the reason of every refused call to the log only', () => {
    const refused = svc.logs.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.msg === 'request' && l.status >= 400);
    expect(refused.map((l) => l.status).sort()).toEqual(expect.arrayContaining([400, 401, 401, 403, 412]));
    for (const line of refused) expect(typeof line.reason).toBe('string');
  });
});

describe('the feedback database of the same session', () => {
  it('stores no access token, JWT, CPR number, patient name or clinician comment', () => {
    const path = svc.config.feedbackDbPath;
    const bytes = [path, `${path}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p).toString('utf8')).join('');
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes).not.toContain(TOKEN);
    for (const jwt of jwts) expect(bytes).not.toContain(jwt.split('.')[2]);
    expect(patientSecrets.filter((secret) => bytes.includes(secret))).toEqual([]);
    expect(bytes).not.toContain('Talked with');
  });
});

describe('the redaction list', () => {
  it('censors authorization headers, tokens, JWTs, prefetch and bodies should any reach a log call', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }));
    logger.info({
      authorization: `Bearer ${TOKEN}`,
      req: { headers: { authorization: `Bearer ${TOKEN}` } },
      headers: { authorization: `Bearer ${TOKEN}` },
      request: { fhirAuthorization: { access_token: TOKEN }, prefetch: { patient: { name: patientSecrets[0] } } },
      fhirAuthorization: { access_token: TOKEN },
      access_token: TOKEN,
      token: TOKEN,
      jwt: TOKEN,
      prefetch: { patient: { name: patientSecrets[0] } },
      body: { context: { patientId: patientSecrets[0] } },
      call: { body: patientSecrets[0], token: TOKEN },
    }, 'everything that must not be logged');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(TOKEN);
    expect(lines[0]).not.toContain(patientSecrets[0]);
    expect(lines[0]).toContain('[redacted]');
  });
});
