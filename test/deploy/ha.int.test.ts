import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPatient, loadDemoBundle, type DemoPatient } from '../../src/demo/patients.js';
import { freePort } from '../support/free-port.js';
import { startInstance, type Instance } from '../support/instance.js';
import { createTestIssuer, type TestIssuer } from '../support/jwt.js';
import { startNginx, type RunningNginx } from '../support/nginx.js';
import { startPostgres, type RunningPostgres } from '../support/postgres.js';
import { prefetchFromBundle } from '../support/prefetch-from-bundle.js';
import { PROJECT_ROOT } from '../support/start-service.js';

/**
 * High availability as deployed: two production instances (separate processes) behind a real nginx, sharing one
 * real PostgreSQL. Four clients send hooks and feedback for 20 s while each instance in turn is SIGKILLed and
 * restarted (the second once the balancer has taken the first back). Every call is accounted for (answered, refused or failed); every feedback item acknowledged with a
 * 200 is in the database afterwards, once; a token used at one instance is refused by the other.
 */
const LOAD_MS = 20_000;
const CLIENTS = 4;
/** A failed feedback call is sent again (with a new token) this many times: the client's side of "nothing lost". */
const FEEDBACK_TRIES = 5;
const HOOK = '/cds-services/lbp-patient-view';
const FIRST_KILL_MS = 3_000;
/** Longer than the balancer's fail_timeout (test/support/nginx.ts). */
const READMIT_MS = 4_000;
/** A client waits this long times the attempt before sending a failed feedback call again. */
const RETRY_BACKOFF_MS = 200;
const patient = findDemoPatient('course-2-mid-course') as DemoPatient;
const prefetch = prefetchFromBundle(loadDemoBundle(PROJECT_ROOT, patient), patient.patientId);

let db: RunningPostgres;
let databaseUrl: string;
let nginx: RunningNginx;
let issuer: TestIssuer;
let dir: string;
let env: Record<string, string>;
const ports: number[] = [];
const instances: Instance[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lbp-ha-'));
  issuer = await createTestIssuer('https://ehr.example.dk', 'ES384');
  db = await startPostgres();
  databaseUrl = await db.createDatabase('cds');
  ports.push(await freePort(), await freePort());
  const publicPort = await freePort();
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ trustedIssuers: [{ iss: issuer.iss, jwks: issuer.jwks, fhirServers: [] }] }));
  env = {
    NODE_ENV: 'production',
    CDS_CONFIG: join(dir, 'config.json'),
    CDS_DATABASE_URL: databaseUrl,
    // Both instances are called at the balancer's URL: that is the aud of every token, wherever it lands.
    PUBLIC_BASE_URL: `http://127.0.0.1:${publicPort}`,
  };
  instances.push(...(await Promise.all(ports.map((p) => startInstance(p, env)))));
  nginx = await startNginx(ports);
  expect(nginx.port).not.toBe(publicPort);
  env.PUBLIC_BASE_URL = nginx.url;
  // Restart both with the balancer's real URL (the port was only known once nginx listened).
  await Promise.all(instances.map((i) => i.kill('SIGTERM')));
  instances.splice(0, 2, ...(await Promise.all(ports.map((p) => startInstance(p, env)))));
}, 120_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.kill('SIGKILL')));
  await nginx?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const signed = async (path: string): Promise<string> => `Bearer ${await issuer.sign(`${nginx.url}${path}`)}`;

describe('two instances behind nginx on one PostgreSQL', () => {
  it('refuses at one instance a token already used at the other', async () => {
    const token = await signed('/cds-services');
    expect((await fetch(`${instances[0]!.url}/cds-services`, { headers: { authorization: token } })).status).toBe(200);
    expect((await fetch(`${instances[1]!.url}/cds-services`, { headers: { authorization: token } })).status).toBe(401);
    expect((await fetch(`${nginx.url}/cds-services`, { headers: { authorization: token } })).status).toBe(401);
  });

  it('loses no acknowledged feedback while each instance is SIGKILLed and restarted under load', async () => {
    const tally = { hookCalls: 0, feedbackCalls: 0, ok: 0, refused: 0, failed: 0, retries: 0, gaveUp: 0 };
    const statuses = new Map<string, number>();
    const acknowledged: Array<{ card: string; outcome: string; outcomeTimestamp: string }> = [];
    const count = (status: number | string): void => {
      statuses.set(String(status), (statuses.get(String(status)) ?? 0) + 1);
      if (status === 200) tally.ok += 1;
      else if (typeof status === 'number' && status >= 400 && status < 500) tally.refused += 1;
      else tally.failed += 1;
    };
    const call = async (path: string, body: unknown): Promise<{ status: number | string; json?: any }> => {
      try {
        const response = await fetch(`${nginx.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: await signed(path) },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const json: unknown = await response.json().catch(() => undefined);
        return { status: response.status, json };
      } catch (error) {
        return { status: (error as Error).name };
      }
    };

    const end = Date.now() + LOAD_MS;
    const client = async (): Promise<void> => {
      while (Date.now() < end) {
        tally.hookCalls += 1;
        const hook = await call(HOOK, { hook: 'patient-view', hookInstance: randomUUID(), context: { userId: 'Practitioner/pt-1', patientId: patient.patientId }, prefetch });
        count(hook.status);
        if (hook.status !== 200) continue;
        const card = (hook.json.cards as Array<{ uuid: string }>)[0]!;
        const item = { card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: randomUUID() }], outcomeTimestamp: new Date().toISOString() };
        for (let attempt = 1; ; attempt++) {
          tally.feedbackCalls += 1;
          const feedback = await call(`${HOOK}/feedback`, { feedback: [item] });
          count(feedback.status);
          if (feedback.status === 200) {
            acknowledged.push(item);
            break;
          }
          if (attempt === FEEDBACK_TRIES) {
            tally.gaveUp += 1;
            break;
          }
          tally.retries += 1;
          await new Promise((r) => setTimeout(r, RETRY_BACKOFF_MS * attempt));
        }
      }
    };
    // One instance at a time, as a rolling failure: the second is killed only once the balancer has had time to
    // take the first back (nginx's passive checks re-admit a server fail_timeout after its last failure).
    const chaos = async (): Promise<Array<{ port: number; downMs: number }>> => {
      const kills: Array<{ port: number; downMs: number }> = [];
      await new Promise((r) => setTimeout(r, FIRST_KILL_MS));
      for (const index of [0, 1]) {
        const killedAt = Date.now();
        await instances[index]!.kill('SIGKILL');
        instances[index] = await startInstance(ports[index]!, env);
        kills.push({ port: ports[index]!, downMs: Date.now() - killedAt });
        await new Promise((r) => setTimeout(r, READMIT_MS));
      }
      return kills;
    };
    const [kills] = await Promise.all([chaos(), ...Array.from({ length: CLIENTS }, client)]);

    // Straight from the database, not through the service: every acknowledged item is there, exactly once.
    const reader = new pg.Client({ connectionString: databaseUrl });
    await reader.connect();
    const { rows } = await reader.query<{ card_uuid: string; outcome: string; outcome_timestamp: string }>(
      'SELECT card_uuid, outcome, outcome_timestamp FROM feedback');
    await reader.end();
    const stored = new Map<string, number>();
    for (const r of rows) stored.set(`${r.card_uuid} ${r.outcome} ${r.outcome_timestamp}`, (stored.get(`${r.card_uuid} ${r.outcome} ${r.outcome_timestamp}`) ?? 0) + 1);
    const lost = acknowledged.filter((i) => !stored.has(`${i.card} ${i.outcome} ${i.outcomeTimestamp}`));
    const figures = { ...tally, calls: tally.hookCalls + tally.feedbackCalls, acknowledged: acknowledged.length, stored: rows.length,
      lost: lost.length, statuses: Object.fromEntries(statuses), kills };
    console.log(`HA figures: ${JSON.stringify(figures)}`);

    expect(lost).toEqual([]);
    // Once each, though some were sent again after a failure that had in fact been committed.
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    // Every call accounted for: answered, refused or failed, nothing else.
    expect(tally.ok + tally.refused + tally.failed).toBe(figures.calls);
    // Nothing was refused: every token was fresh, every body valid. Failures are the calls in flight at a kill.
    expect(tally.refused).toBe(0);
    expect(tally.gaveUp).toBe(0);
    expect(tally.failed).toBeLessThan(figures.calls / 20);
    expect(acknowledged.length).toBeGreaterThan(100);
    // Both instances served again after their restart: the balancer brought them back.
    for (const instance of instances) expect((await fetch(`${instance.url}/readyz`)).status).toBe(200);
  }, 120_000);
});
