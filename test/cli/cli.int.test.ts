import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPatient, loadDemoBundles, DEMO_PATIENTS } from '../../src/demo/patients.js';
import { createFhirServer, startFhirServer } from '../../src/sandbox/index.js';
import { openSqliteStore } from '../../src/storage/sqlite-store.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/main.ts'), ...args], { cwd: PROJECT_ROOT, timeout: 30_000 });

describe('the integrator CLI', () => {
  let svc: RunningService;

  beforeAll(async () => {
    const sandbox = await createFhirServer({ bundles: loadDemoBundles(PROJECT_ROOT) });
    svc = await startService({ fhirRouter: sandbox.router });
  });
  afterAll(() => svc.close());

  it('calls encounter-start for a demo patient and prints the cards readably', async () => {
    const p = findDemoPatient('edge-individual-training-limit')!;
    const { stdout } = await cli(['hook', '--hook', 'encounter-start', '--service', svc.url, '--fhir-server', `${svc.url}/fhir`,
      '--patient', p.patientId, '--encounter', p.currentEncounterId!, '--token', 'demo-token', '--lang', 'en']);
    expect(stdout).toMatch(/^HTTP 200 in \d+ ms/);
    expect(stdout).toMatch(/\[! warning\] .*\(individual-training-limit\)/);
    expect(stdout).toMatch(/\(next-consultation\)/);
    expect(stdout).toMatch(/-> \(recommended\) /);
  });

  it('books through appointment-book and prints an error response with its status', async () => {
    const p = findDemoPatient('course-2-mid-course')!;
    const booked = await cli(['hook', '--hook', 'appointment-book', '--service', svc.url, '--fhir-server', `${svc.url}/fhir`,
      '--patient', p.patientId, '--code', '0264', '--start', '2026-12-03T10:00:00+01:00']);
    expect(booked.stdout).toMatch(/HTTP 200/);
    const refused = await cli(['hook', '--hook', 'patient-view', '--service', svc.url, '--fhir-server', 'https://not-allowed.example/fhir', '--patient', p.patientId])
      .then(() => undefined, (error: { stdout: string; code: number }) => error);
    expect(refused?.code).toBe(1);
    expect(refused?.stdout).toMatch(/HTTP 403/);
  });

  it('loads the example Bundles into a FHIR server as transactions, with progress', async () => {
    const empty = await startFhirServer({ requireBearer: 'load-token' });
    try {
      const { stdout } = await cli(['load', '--fhir-server', empty.url, '--token', 'load-token']);
      expect(stdout).toMatch(new RegExp(`${DEMO_PATIENTS.length} of ${DEMO_PATIENTS.length} Bundles loaded`));
      expect(stdout).toMatch(/\[1\/\d+\] .*\.json: \d+ resources -> HTTP 200/);
      const res = await fetch(`${empty.url}/Encounter?patient=lbp-c2-patient&_summary=count`, { headers: { Authorization: 'Bearer load-token' } });
      expect(((await res.json()) as { total: number }).total).toBe(15);
    } finally {
      await empty.close();
    }
  });

  it('prints the feedback report as a table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbp-report-'));
    const db = join(dir, 'f.sqlite');
    const store = await openSqliteStore(db);
    store.recordCards([{ uuid: 'c1', serviceId: 'lbp-encounter-start', hookInstance: 'h', ruleId: 'education-limit', indicator: 'warning', issuedAt: '2026-11-25T09:00:00Z' },
      { uuid: 'c2', serviceId: 'lbp-encounter-start', hookInstance: 'h', ruleId: 'next-consultation', indicator: 'info', issuedAt: '2026-11-25T09:00:00Z' }]);
    await store.recordFeedback([{ serviceId: 'lbp-encounter-start', cardUuid: 'c1', outcome: 'overridden', outcomeTimestamp: '2026-11-25T09:01:00Z', acceptedSuggestions: [], overrideReasonCode: 'cds-not-applicable', overrideReasonDisplay: 'Not applicable' },
      { serviceId: 'lbp-encounter-start', cardUuid: 'c2', outcome: 'accepted', outcomeTimestamp: '2026-11-25T09:01:00Z', acceptedSuggestions: ['s1'] }], '2026-11-25T09:02:00Z');
    await store.close();
    try {
      const { stdout } = await cli(['feedback-report', '--db', db]);
      expect(stdout).toMatch(/rule\s+issued\s+feedback\s+accepted\s+overridden\s+accept rate\s+override rate/);
      expect(stdout).toMatch(/education-limit\s+1\s+1\s+0\s+1\s+0\.0 %\s+100\.0 %/);
      expect(stdout).toMatch(/next-consultation\s+1\s+1\s+1\s+0\s+100\.0 %\s+0\.0 %/);
      expect(stdout).toMatch(/education-limit\s+cds-not-applicable\s+Not applicable\s+1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
