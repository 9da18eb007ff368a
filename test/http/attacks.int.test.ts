import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustedIssuer } from '../../src/config.js';
import { findDemoPatient, loadDemoBundle, type DemoPatient } from '../../src/demo/patients.js';
import { startFhirServer, type RunningFhirServer } from '../../src/sandbox/index.js';
import { createTestIssuer, type TestIssuer } from '../support/jwt.js';
import { prefetchFromBundle } from '../support/prefetch-from-bundle.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * The attack run's findings (issue 10), each repeated against the real service over HTTP: each test is the
 * attack as it was made, and what the service now answers.
 */
const HOOK = '/cds-services/lbp-patient-view';
const FEEDBACK = `${HOOK}/feedback`;
/** The flooders' body: 4.8 MB, under the 5 MiB limit of an authenticated call. */
const FLOOD_BYTES = 4_800_000;
const patient = findDemoPatient('course-2-mid-course') as DemoPatient;
const bundle = loadDemoBundle(PROJECT_ROOT, patient);
const hookBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  hook: 'patient-view',
  hookInstance: randomUUID(),
  context: { userId: 'Practitioner/pt-1', patientId: patient.patientId },
  prefetch: prefetchFromBundle(bundle, patient.patientId),
  ...extra,
});
const lines = (svc: RunningService): Array<Record<string, any>> => svc.logs.map((l) => JSON.parse(l) as Record<string, any>);

let es: TestIssuer;
let fhir: RunningFhirServer;
let dir: string;
const issuers = (): TrustedIssuer[] => [{ iss: es.iss, jwks: es.jwks, fhirServers: [fhir.url] }];

beforeAll(async () => {
  es = await createTestIssuer('https://ehr-a.example.dk', 'ES384');
  fhir = await startFhirServer({ bundles: [bundle] });
  dir = mkdtempSync(join(tmpdir(), 'lbp-attack-'));
});
afterAll(async () => {
  await fhir?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends the request line and headers only, announcing a large body that never comes, and reads the answer. */
function headersOnly(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; raw: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let raw = '';
    socket.setTimeout(5000, () => reject(new Error(`no answer before the body was sent: ${raw}`)));
    socket.on('data', (c: Buffer) => {
      raw += c.toString('latin1');
      if (raw.includes('\r\n\r\n')) {
        socket.destroy();
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]), raw });
      }
    });
    socket.on('error', reject);
    const head = Object.entries({ host: `${hostname}:${port}`, 'content-type': 'application/json', 'content-length': String(FLOOD_BYTES), ...headers })
      .map(([k, v]) => `${k}: ${v}`).join('\r\n');
    socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n\r\n`);
  });
}

describe('aud bypass: a token minted for another deployment, sent with a forged Host', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ trustedIssuers: issuers() });
  });
  afterAll(() => svc.close());

  it('is refused: without PUBLIC_BASE_URL the aud is the socket address, never the Host header', async () => {
    const other = 'https://cds.other-region.example.dk';
    const response = await fetch(`${svc.url}${HOOK}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: 'cds.other-region.example.dk', authorization: `Bearer ${await es.sign(`${other}${HOOK}`)}` },
      body: JSON.stringify(hookBody()),
    });
    expect(response.status).toBe(401);
    const line = lines(svc).find((l) => l.status === 401)!;
    expect(line.auth).toMatchObject({ check: 'claim', claim: 'aud', expectedAud: `${svc.url}${HOOK}`, receivedAud: `${other}${HOOK}` });
  });

  it('still lets a developer call the service as localhost', async () => {
    const port = new URL(svc.url).port;
    const response = await fetch(`http://localhost:${port}${HOOK}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await es.sign(`http://localhost:${port}${HOOK}`)}` },
      body: JSON.stringify(hookBody()),
    });
    expect(response.status).toBe(200);
  });
});

describe('work before authentication (production)', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ env: { NODE_ENV: 'production' }, trustedIssuers: issuers() });
  });
  afterAll(() => svc.close());

  it('refuses a credential-less call before reading its body: the 401 comes while the 4.8 MB body is still unsent', async () => {
    const answer = await headersOnly(svc.url, HOOK, {});
    expect(answer.status).toBe(401);
    // The unread body is not drained for keep-alive: the connection is closed.
    expect(answer.raw.toLowerCase()).toContain('connection: close');
  });

  it('refuses a garbage token the same way, and an expired one, without parsing the body', async () => {
    expect((await headersOnly(svc.url, HOOK, { authorization: 'Bearer a.b.c' })).status).toBe(401);
    const expired = await es.sign(`${svc.url}${HOOK}`, { iatSec: 1, expSec: 2 });
    expect((await headersOnly(svc.url, FEEDBACK, { authorization: `bearer ${expired}` })).status).toBe(401);
  });

  it('answers 401, not 400, to an unauthenticated body that is not JSON: it was never parsed', async () => {
    const result = await svc.post(HOOK, '{"not json', {});
    expect(result.status).toBe(401);
  });

  it('reads the body of an authenticated call, up to the limit', async () => {
    const ok = await svc.hook('lbp-patient-view', hookBody(), { authorization: `Bearer ${await es.sign(`${svc.url}${HOOK}`)}` });
    expect(ok.status).toBe(200);
    const big = await svc.post(HOOK, { ...hookBody(), pad: 'x'.repeat(6 * 1024 * 1024) }, { authorization: `Bearer ${await es.sign(`${svc.url}${HOOK}`)}` });
    expect(big.status).toBe(413);
  });

  it('takes the Bearer scheme in any case', async () => {
    const ok = await svc.hook('lbp-patient-view', hookBody(), { authorization: `BEARER ${await es.sign(`${svc.url}${HOOK}`)}` });
    expect(ok.status).toBe(200);
  });
});

describe('a development call without a token', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(() => svc.close());

  it('has a small body limit (1 MiB), far below the 5 MiB of an authenticated call', async () => {
    const result = await svc.post(HOOK, { ...hookBody(), pad: 'x'.repeat(FLOOD_BYTES) });
    expect(result.status).toBe(413);
    expect((await svc.hook('lbp-patient-view', hookBody())).status).toBe(200);
  });
});

describe('a fhirServer with a query, a fragment or user info', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ trustedIssuers: issuers() });
  });
  afterAll(() => svc.close());

  for (const [what, suffix, word] of [['a query', '?x=1', 'query'], ['an empty query', '?', 'query'], ['a fragment', '#f', 'fragment'],
    ['user info', 'USERINFO', 'user info']] as const) {
    it(`is a 400 naming fhirServer (${what}), never a 500, for a listed and an unlisted server`, async () => {
      const base = suffix === 'USERINFO' ? fhir.url.replace('://', '://user:secret@') : `${fhir.url}${suffix}`;
      const body = { ...hookBody({ fhirServer: base }), prefetch: undefined };
      for (const headers of [{ authorization: `Bearer ${await es.sign(`${svc.url}${HOOK}`)}` }, {} as Record<string, string>]) {
        const result = await svc.hook('lbp-patient-view', body, headers);
        expect(result.status).toBe(400);
        expect(result.body.issue).toEqual([expect.objectContaining({ expression: ['fhirServer'], diagnostics: expect.stringContaining(word) })]);
      }
    });
  }
});

describe('identifiers and free text', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ trustedIssuers: issuers() });
  });
  afterAll(() => svc.close());

  it('logs the path as sent, and a reason quoting it decoded, escaped and cut short', async () => {
    const path = `/cds-services/x%0A%7B%22level%22%3A60%7D${'a'.repeat(3000)}/feedback`;
    expect((await svc.post(path, { feedback: [] })).status).toBe(404);
    const line = lines(svc).find((l) => l.status === 404)!;
    expect(line.path.startsWith('/cds-services/x%0A%7B')).toBe(true);
    expect(line.path.length).toBeLessThan(160);
    // The service id is decoded by the router: its newline is escaped in the reason, which is cut short too.
    expect(line.reason).toContain('x\\x0a{"level":60}');
    expect(line.reason.length).toBeLessThan(240);
  });

  it('stores only a coded override reason we offered, with our display, and never the comment or a sent display', async () => {
    const card = randomUUID();
    const at = '2026-11-25T10:05:00+01:00';
    const items = [
      { card, outcome: 'overridden', outcomeTimestamp: at,
        overrideReason: { reason: { system: 'http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes', code: 'does-not-align-preferences', display: 'Jens Hansen 010190-1234 vil ikke' }, userComment: 'Jens Hansen' } },
      { card, outcome: 'overridden', outcomeTimestamp: '2026-11-25T10:06:00+01:00',
        overrideReason: { reason: { code: 'Jens Hansen ringede', display: 'fri tekst' } } },
    ];
    const result = await svc.post(FEEDBACK, { feedback: items }, { authorization: `Bearer ${await es.sign(`${svc.url}${FEEDBACK}`)}` });
    expect(result.status).toBe(200);
    const db = new Database(svc.config.feedbackDbPath, { readonly: true });
    const rows = db.prepare('SELECT * FROM feedback WHERE card_uuid = ? ORDER BY outcome_timestamp').all(card) as Array<Record<string, unknown>>;
    db.close();
    expect(rows.map((r) => [r.override_code, r.override_display])).toEqual([
      ['does-not-align-preferences', 'Patientens ønsker eller præferencer'],
      [null, null],
    ]);
    expect(JSON.stringify(rows)).not.toContain('Jens');
    expect(lines(svc).find((l) => l.path === FEEDBACK)?.feedback).toEqual({ items: 2, stored: 2, duplicates: 0, uncodedReasons: 1 });
  });
});

describe('replay after a restart', () => {
  it('refuses a token used before the restart, until it expires', async () => {
    const dbPath = join(dir, 'replay.sqlite');
    // The same port is not promised after a restart, so the token's aud is the public URL both are configured with.
    const env = { PUBLIC_BASE_URL: 'https://cds.clinic.example.dk' };
    const before = await startService({ env, trustedIssuers: issuers(), dbPath });
    const token = await es.sign(`https://cds.clinic.example.dk${HOOK}`);
    expect((await before.hook('lbp-patient-view', hookBody(), { authorization: `Bearer ${token}` })).status).toBe(200);
    await before.close();
    const after = await startService({ env, trustedIssuers: issuers(), dbPath });
    try {
      expect((await after.hook('lbp-patient-view', hookBody(), { authorization: `Bearer ${token}` })).status).toBe(401);
      expect(lines(after).find((l) => l.status === 401)?.auth).toMatchObject({ check: 'replay', iss: es.iss });
    } finally {
      await after.close();
    }
  });
});
