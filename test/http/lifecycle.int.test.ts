import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPatient, loadDemoBundle, type DemoPatient } from '../../src/demo/patients.js';
import { createTestIssuer } from '../support/jwt.js';
import { searchset, startMisbehavingFhirServer, type MisbehavingFhirServer } from '../support/misbehaving-fhir-server.js';
import { PROJECT_ROOT, startService } from '../support/start-service.js';
import { freePort } from '../support/free-port.js';
import { watchService } from '../support/json-log-lines.js';

/**
 * The real process (`node --import tsx src/main.ts`): start-up modes, SIGTERM draining in-flight calls and closing
 * the database cleanly, and feedback that survives a SIGKILL right after it was acknowledged.
 */
const FEEDBACK = '/cds-services/lbp-patient-view/feedback';

interface Proc {
  readonly child: ChildProcess;
  readonly base: string;
  /** stdout lines parsed as JSON (pino), as they arrive. */
  readonly logs: Array<Record<string, any>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lbp-life-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function launch(env: Record<string, string>): { child: ChildProcess; logs: Array<Record<string, any>>; stderr: () => string; exited: Proc['exited'] } {
  // An empty value removes a default, e.g. CDS_SANDBOX: '' to see the mode's own default.
  const fullEnv = Object.fromEntries(Object.entries({ PATH: process.env.PATH ?? '', NODE_ENV: 'development', PORT: '0', CDS_SANDBOX: 'off', LOG_LEVEL: 'info', ...env })
    .filter(([, value]) => value !== ''));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PROJECT_ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const { logs, exited } = watchService(child);
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { child, logs, stderr: () => err, exited };
}

async function start(env: Record<string, string>): Promise<Proc> {
  const proc = launch(env);
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const ready = proc.logs.find((l) => l.msg === 'ready');
      if (ready) {
        clearInterval(timer);
        resolve(ready.base as string);
      }
    }, 20);
    void proc.exited.then(({ code }) => {
      clearInterval(timer);
      reject(new Error(`service exited with ${code}: ${proc.stderr()}`));
    });
  });
  return { ...proc, base };
}

async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }
}

function feedbackItems(n: number): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => ({
    card: randomUUID(),
    outcome: i % 2 === 0 ? 'accepted' : 'overridden',
    ...(i % 2 === 0 ? { acceptedSuggestions: [{ id: randomUUID() }] } : { overrideReason: { reason: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'PAT', display: 'patient request' }, userComment: 'Sofie Winther wants it' } }),
    outcomeTimestamp: new Date(Date.UTC(2026, 10, 25, 10, 0, i)).toISOString(),
  }));
}

async function postFeedback(base: string, feedback: Array<Record<string, unknown>>): Promise<number> {
  const response = await fetch(`${base}${FEEDBACK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ feedback }) });
  await response.arrayBuffer();
  return response.status;
}

function storedCards(dbPath: string): Set<string> {
  const db = new Database(dbPath, { readonly: true });
  try {
    return new Set((db.prepare('SELECT card_uuid FROM feedback').all() as Array<{ card_uuid: string }>).map((r) => r.card_uuid));
  } finally {
    db.close();
  }
}

describe('start-up modes', () => {
  it('refuses to start in production without trusted issuers, saying why', async () => {
    const proc = launch({ NODE_ENV: 'production', CDS_FEEDBACK_DB: join(dir, 'refused.sqlite') });
    const { code } = await proc.exited;
    expect(code).toBe(78);
    expect(proc.stderr()).toContain('trustedIssuers');
    expect(proc.logs.find((l) => l.msg === 'ready')).toBeUndefined();
  }, 15_000);

  it('refuses to start in production without PUBLIC_BASE_URL: the aud is never taken from a Host header', async () => {
    const issuer = await createTestIssuer('https://ehr.example.dk', 'ES384');
    const config = join(dir, 'no-public-url.json');
    writeFileSync(config, JSON.stringify({ trustedIssuers: [{ iss: issuer.iss, jwks: issuer.jwks, fhirServers: [] }] }));
    const proc = launch({ NODE_ENV: 'production', CDS_CONFIG: config, CDS_FEEDBACK_DB: join(dir, 'refused.sqlite') });
    expect((await proc.exited).code).toBe(78);
    expect(proc.stderr()).toContain('PUBLIC_BASE_URL is required in production');
  }, 15_000);

  it('refuses to start with two trusted issuers of one iss and no distinct tenants', async () => {
    const issuer = await createTestIssuer('https://ehr.example.dk', 'ES384');
    const config = join(dir, 'duplicate-iss.json');
    const entry = { iss: issuer.iss, jwks: issuer.jwks, fhirServers: [] };
    writeFileSync(config, JSON.stringify({ trustedIssuers: [entry, { ...entry, tenant: 'north' }] }));
    const proc = launch({ CDS_CONFIG: config, CDS_FEEDBACK_DB: join(dir, 'refused.sqlite') });
    expect((await proc.exited).code).toBe(78);
    expect(proc.stderr()).toContain('need distinct tenants');
  }, 15_000);

  it('refuses to bind development mode to anything but loopback', async () => {
    const proc = launch({ HOST: '0.0.0.0', CDS_FEEDBACK_DB: join(dir, 'refused.sqlite') });
    expect((await proc.exited).code).toBe(78);
    expect(proc.stderr()).toContain('HOST');
  }, 15_000);

  it('binds development mode to 127.0.0.1 and warns at start-up that calls are unauthenticated', async () => {
    const proc = await start({ CDS_FEEDBACK_DB: join(dir, 'dev.sqlite') });
    try {
      expect(proc.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const warning = proc.logs.find((l) => l.level === 40);
      expect(warning?.msg).toMatch(/unauthenticated/);
      expect((await fetch(`${proc.base}/cds-services`)).status).toBe(200);
    } finally {
      await stop(proc);
    }
  }, 15_000);

  it('starts in production with issuers from the config file: no sandbox, no warning, no call without a token', async () => {
    const issuer = await createTestIssuer('https://ehr.example.dk', 'ES384');
    const config = join(dir, 'prod.json');
    writeFileSync(config, JSON.stringify({ trustedIssuers: [{ iss: issuer.iss, jwks: issuer.jwks, fhirServers: [] }] }));
    const port = await freePort();
    const proc = await start({ NODE_ENV: 'production', CDS_CONFIG: config, CDS_FEEDBACK_DB: join(dir, 'prod.sqlite'), CDS_SANDBOX: '', PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    try {
      const ready = proc.logs.find((l) => l.msg === 'ready')!;
      expect(ready).toMatchObject({ mode: 'production', sandbox: false });
      expect(proc.logs.filter((l) => l.level >= 40)).toEqual([]);
      expect((await fetch(`${proc.base}/fhir/metadata`)).status).toBe(404);
      expect((await fetch(`${proc.base}/cds-services`)).status).toBe(401);
      const signed = await issuer.sign(`${proc.base}/cds-services`);
      expect((await fetch(`${proc.base}/cds-services`, { headers: { authorization: `Bearer ${signed}` } })).status).toBe(200);
    } finally {
      await stop(proc);
    }
  }, 15_000);
});

describe('readiness while draining', () => {
  it('answers /readyz 503 once draining has begun, while /healthz stays 200', async () => {
    const svc = await startService();
    try {
      expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
      svc.service.drain();
      const ready = await fetch(`${svc.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'draining' });
      expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    } finally {
      await svc.close();
    }
  });
});

describe('SIGTERM', () => {
  let fhir: MisbehavingFhirServer;
  const patient = findDemoPatient('course-2-mid-course') as DemoPatient;
  beforeAll(async () => {
    fhir = await startMisbehavingFhirServer();
    const resources = (loadDemoBundle(PROJECT_ROOT, patient).entry ?? []).map((e) => e.resource!);
    for (const type of ['Encounter', 'EpisodeOfCare', 'CarePlan', 'Observation', 'QuestionnaireResponse']) {
      // Slow, but well within the deadline below: the call is still in flight when SIGTERM arrives.
      fhir.serve(type, searchset(resources.filter((r) => r.resourceType === type)), { delayMs: 700 });
    }
    // The Patient too: without it the patient does not exist, and development mode answers with that card alone.
    fhir.serve(`Patient/${patient.patientId}`, resources.find((r) => r.resourceType === 'Patient'), { delayMs: 700 });
  });
  afterAll(() => fhir.close());

  it('drains the in-flight call, refuses new connections, closes the database cleanly and exits 0', async () => {
    const db = join(dir, 'drain.sqlite');
    const proc = await start({ CDS_FEEDBACK_DB: db, CDS_DEADLINE_MS: '3000' });
    const items = feedbackItems(3);
    expect(await postFeedback(proc.base, items)).toBe(200);
    const started = performance.now();
    const inFlight = fetch(`${proc.base}/cds-services/lbp-patient-view`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ hook: 'patient-view', hookInstance: randomUUID(), fhirServer: fhir.url, context: { userId: 'Practitioner/1', patientId: patient.patientId } }),
    });
    // Wait until the service is reading the FHIR server, i.e. the call is really in flight.
    while (fhir.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    proc.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    const refused = await fetch(`${proc.base}/healthz`).then((r) => r.status, (e: Error) => e.name);
    expect(refused).not.toBe(200);

    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { cards: Array<{ source: { topic: { code: string } } }> };
    expect(body.cards.map((c) => c.source.topic.code)).toContain('next-consultation');
    expect(performance.now() - started).toBeGreaterThan(600);

    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const at = (msg: string): number => Date.parse(proc.logs.find((l) => l.msg === msg)!.time as string);
    // Stopped as soon as the call was answered: neither the deadline's cut-off nor the client's idle keep-alive socket held it.
    expect(at('stopped') - at('draining in-flight calls')).toBeLessThan(1500);
    const messages = proc.logs.map((l) => l.msg);
    expect(messages.indexOf('draining in-flight calls')).toBeGreaterThan(-1);
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.indexOf('draining in-flight calls'));
    // The hook call's request line was written before the process stopped.
    expect(proc.logs.find((l) => l.msg === 'request' && l.path === '/cds-services/lbp-patient-view')?.status).toBe(200);
    // A clean close checkpoints the WAL into the database and removes it; a crash leaves it behind.
    expect(existsSync(`${db}-wal`) && statSync(`${db}-wal`).size > 0).toBe(false);
    const stored = storedCards(db);
    for (const item of items) expect(stored.has(item.card as string)).toBe(true);
  }, 20_000);
});

describe('SIGKILL', () => {
  it('loses no acknowledged feedback: killed mid-stream, restarted, every item answered 200 is there', async () => {
    const db = join(dir, 'durable.sqlite');
    const first = await start({ CDS_FEEDBACK_DB: db });
    const acknowledged: Array<Record<string, unknown>> = [];
    const batches = Array.from({ length: 60 }, (_, i) => feedbackItems(1 + (i % 3)));
    let killed = false;
    // Four clients in parallel; the process is killed the moment 40 items are acknowledged, with others in flight.
    const client = async (): Promise<void> => {
      while (batches.length > 0 && !killed) {
        const batch = batches.shift()!;
        const status = await postFeedback(first.base, batch).catch(() => 0);
        if (status === 200 && !killed) {
          acknowledged.push(...batch);
          if (acknowledged.length >= 40) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    // The crash left the write-ahead log behind (what the SIGTERM test checks is gone after a clean close).
    expect(statSync(`${db}-wal`).size).toBeGreaterThan(0);

    const second = await start({ CDS_FEEDBACK_DB: db });
    try {
      // The restarted service has them all: sent again, every item is a duplicate of one it already holds.
      expect(await postFeedback(second.base, acknowledged)).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      const line = second.logs.find((l) => l.msg === 'request' && l.path === FEEDBACK);
      expect(line?.feedback).toMatchObject({ items: acknowledged.length, stored: 0, duplicates: acknowledged.length });
    } finally {
      await stop(second);
    }
    const stored = storedCards(db);
    expect(acknowledged.filter((item) => !stored.has(item.card as string))).toEqual([]);
  }, 30_000);
});
