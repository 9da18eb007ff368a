import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPatient, loadDemoBundle, type DemoPatient } from '../src/demo/patients.js';
import { freePort } from '../bench/lib/processes.js';
import { searchset, startMisbehavingFhirServer, type MisbehavingFhirServer } from './support/misbehaving-fhir-server.js';
import { PROJECT_ROOT } from './support/start-service.js';
import { watchService } from './support/json-log-lines.js';

/** `CDS_WORKERS=2`: the real process tree (`node --import tsx src/main.ts`), a primary and two workers on one port. */
const patient = findDemoPatient('course-2-mid-course') as DemoPatient;
const resources = (loadDemoBundle(PROJECT_ROOT, patient).entry ?? []).map((e) => e.resource!);
let fhir: MisbehavingFhirServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lbp-cluster-'));
  fhir = await startMisbehavingFhirServer();
  for (const type of ['Encounter', 'EpisodeOfCare', 'CarePlan', 'Observation', 'QuestionnaireResponse']) {
    // Slow enough that a call is still in flight when SIGTERM arrives, well within the deadline.
    fhir.serve(type, searchset(resources.filter((r) => r.resourceType === type)), { delayMs: 600 });
  }
});
afterAll(async () => {
  await fhir.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startCluster() {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '', NODE_ENV: 'development', PORT: String(port), CDS_SANDBOX: 'off', LOG_LEVEL: 'info',
    CDS_WORKERS: '2', CDS_DEADLINE_MS: '3000', CDS_FEEDBACK_DB: join(dir, `${randomUUID()}.sqlite`),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const { logs, exited } = watchService(child);
  const until = async (what: () => boolean, label: string): Promise<void> => {
    for (let i = 0; i < 600 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
    if (!what()) throw new Error(`timed out waiting for ${label}: ${JSON.stringify(logs.map((l) => l.msg))}`);
  };
  const readyPids = () => new Set(logs.filter((l) => l.msg === 'ready').map((l) => l.pid as number));
  await until(() => readyPids().size === 2, 'two ready workers');
  return { child, logs, exited, until, readyPids, base: `http://127.0.0.1:${port}` };
}

const hookCall = (base: string) => fetch(`${base}/cds-services/lbp-patient-view`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', connection: 'close' },
  body: JSON.stringify({ hook: 'patient-view', hookInstance: randomUUID(), fhirServer: fhir.url, context: { userId: 'Practitioner/1', patientId: patient.patientId } }),
});

describe('CDS_WORKERS=2', () => {
  it('serves one port from two processes, replaces a killed worker, and drains both on SIGTERM', async () => {
    const c = await startCluster();
    try {
      // Both workers take calls on the one port (new connections are handed out in turn).
      const health = await Promise.all(Array.from({ length: 8 }, () => fetch(`${c.base}/healthz`, { headers: { connection: 'close' } })));
      expect(health.map((r) => r.status)).toEqual(Array(8).fill(200));
      await c.until(() => new Set(c.logs.filter((l) => l.msg === 'request').map((l) => l.pid)).size === 2, 'requests served by both workers');

      // A worker that dies is replaced, and the port keeps answering.
      const victim = [...c.readyPids()][0]!;
      process.kill(victim, 'SIGKILL');
      await c.until(() => c.logs.some((l) => l.msg === 'worker exited; starting a replacement'), 'the replacement');
      await c.until(() => [...c.readyPids()].filter((p) => p !== victim).length === 2, 'a new ready worker');
      expect((await fetch(`${c.base}/healthz`, { headers: { connection: 'close' } })).status).toBe(200);

      // SIGTERM to the primary: calls in flight in both workers are answered, then everything exits 0.
      const before = fhir.requests.length;
      const inFlight = [hookCall(c.base), hookCall(c.base)];
      await c.until(() => fhir.requests.length >= before + 2, 'both calls reading FHIR');
      c.child.kill('SIGTERM');
      const answers = await Promise.all(inFlight);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      expect(await c.exited).toEqual({ code: 0, signal: null });
      expect(c.logs.filter((l) => l.msg === 'stopped')).toHaveLength(2);
      expect(c.logs.some((l) => l.msg === 'all workers stopped')).toBe(true);
    } finally {
      if (c.child.exitCode === null) c.child.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses a value that is not a number of processes at start', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', PORT: '0', CDS_SANDBOX: 'off', CDS_WORKERS: 'two' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(78);
    expect(err).toMatch(/CDS_WORKERS must be an integer from 1 to 64, not "two"/);
  }, 30_000);
});
