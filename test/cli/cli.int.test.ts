import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPatient, loadDemoBundles, DEMO_PATIENTS } from '../../src/demo/patients.js';
import { createFhirServer, startFhirServer } from '../../src/sandbox/index.js';
import { openSqliteStore } from '../../src/storage/sqlite-store.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

const run = promisify(execFile);
/** The CLI as a user runs it, with an environment that names no service unless the test says so. */
const cli = (args: string[], env: Record<string, string> = {}) => {
  const { PORT: _port, CDS_SERVICE_URL: _url, CDS_FEEDBACK_DB: _db, ...rest } = process.env;
  return run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/main.ts'), ...args], { cwd: PROJECT_ROOT, timeout: 30_000, env: { ...rest, ...env } });
};
/** A failing run: its exit code and both streams. */
const failing = (args: string[], env: Record<string, string> = {}) =>
  cli(args, env).then(
    (ok) => { throw new Error(`expected a failure, got: ${ok.stdout}`); },
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

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
    expect(stdout).toMatch(new RegExp(`^POST ${svc.url}/cds-services/lbp-encounter-start\\n`));
    expect(stdout).toMatch(/\nHTTP 200 in \d+ ms/);
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

  it('finds the service from CDS_SERVICE_URL, else PORT, and says which it used', async () => {
    const p = findDemoPatient('course-2-mid-course')!;
    const fromEnv = await cli(['hook', '--patient', p.patientId], { CDS_SERVICE_URL: `${svc.url}/` });
    expect(fromEnv.stdout).toMatch(new RegExp(`^POST ${svc.url}/cds-services/lbp-patient-view   \\(service from CDS_SERVICE_URL\\)`));
    // --fhir-server defaults to the service's embedded FHIR server, and says so.
    expect(fromEnv.stdout).toContain(`fhirServer ${svc.url}/fhir   (the service's embedded FHIR server`);
    expect(fromEnv.stdout).toMatch(/\nHTTP 200 in \d+ ms/);
    const port = new URL(svc.url).port;
    const fromPort = await cli(['hook', '--patient', p.patientId, '--lang', 'en'], { PORT: port });
    expect(fromPort.stdout).toMatch(new RegExp(`^POST http://127.0.0.1:${port}/cds-services/lbp-patient-view   \\(service from PORT\\)`));
    expect(fromPort.stdout).toMatch(/\(next-consultation\)/);
    // --service wins over both.
    const explicit = await cli(['hook', '--patient', p.patientId, '--service', svc.url, '--json'], { PORT: '1', CDS_SERVICE_URL: 'http://127.0.0.1:1' });
    expect(explicit.stderr).toBe(`POST ${svc.url}/cds-services/lbp-patient-view\nfhirServer ${svc.url}/fhir   (the service's embedded FHIR server; --fhir-server to change)\n`);
    expect(JSON.parse(explicit.stdout)).toHaveProperty('cards');
  });

  it('says once that the service cannot be reached, naming the URL and what to do', async () => {
    const closed = await closedPort();
    const error = await failing(['hook', '--patient', 'lbp-c2-patient'], { PORT: String(closed) });
    expect(error.code).toBe(1);
    expect(error.stderr).toBe(`error: cannot reach http://127.0.0.1:${closed}/cds-services/lbp-patient-view (ECONNREFUSED). Is the service running (npm start)? Else pass --service or set CDS_SERVICE_URL.\n`);
  });

  it.each([
    [['hook', '--hook', 'appointment-book', '--patient', 'p', '--code', '9999'],
      "error: option '--code <code>' argument '9999' is invalid. Expected a consultation code: 0110, 0113, 0261, 0262, 0263, 0264, 0265, 0266, 0267, 0268, 0269."],
    [['hook', '--hook', 'appointment-book', '--patient', 'p', '--start', 'tomorrow'],
      "error: option '--start <dateTime>' argument 'tomorrow' is invalid. Expected a date or date-time such as 2026-12-03 or 2026-12-03T10:00:00+01:00."],
    [['hook', '--hook', 'appointment-book', '--patient', 'p', '--start', '2026-02-30'], "argument '2026-02-30' is invalid"],
    [['hook', '--bogus'], "error: unknown option '--bogus'"],
    [['hook', '--patient', 'p', '--fhir-sever', 'http://x'], "error: unknown option '--fhir-sever'\n(Did you mean --fhir-server?)"],
    [['hook', '--hook', 'encounter-stat', '--patient', 'p'], "error: option '--hook <hook>' argument 'encounter-stat' is invalid. Allowed choices are encounter-start, patient-view, appointment-book."],
    [['hook', '--hook', 'encounter-start', '--patient', 'p'], "error: option '--encounter <id>' is required for --hook encounter-start"],
    [['hook', '--encounter', 'e'], "error: required option '--patient <id>' not specified"],
    [['hook', '--patient', 'Patient/p'], "error: option '--patient <id>' argument 'Patient/p' is invalid. Expected a FHIR resource id"],
    [['hook', '--patient', 'p', '--service', 'localhost:3000'], "error: option '--service <url>' argument 'localhost:3000' is invalid. Expected an http:// or https:// URL."],
    [['hook', '--patient', 'p', '--code', '0264'], 'error: --code and --start apply to --hook appointment-book only (this call is patient-view)'],
    [['load', '--bogus'], "error: unknown option '--bogus'"],
    [['load'], "error: required option '--fhir-server <url>' not specified"],
    [['load', '--fhir-server', 'ftp://x'], "argument 'ftp://x' is invalid. Expected an http:// or https:// URL."],
    [['load', '--fhir-server', 'http://127.0.0.1:9/fhir', 'no-such-bundle.json'], 'error: no such file: '],
    [['hok'], "error: unknown command 'hok'\n(Did you mean hook?)"],
  ])('refuses %j with one clear line and no stack trace', async (args, message) => {
    const error = await failing(args);
    expect(error.code).toBe(1);
    expect(error.stderr).toContain(message);
    expect(error.stderr).not.toMatch(/\n\s+at /);
    expect(error.stdout).toBe('');
  });

  it('refuses a bad CDS_SERVICE_URL by name', async () => {
    const error = await failing(['hook', '--patient', 'p'], { CDS_SERVICE_URL: 'localhost:3000' });
    expect(error.stderr).toContain('error: CDS_SERVICE_URL "localhost:3000" is not usable. Expected an http:// or https:// URL.');
  });

  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await cli(['--version'])).stdout).toBe(`${pkg.version}\n`);
  });

  it('load stops at the first connection failure with one message', async () => {
    const closed = await closedPort();
    const error = await failing(['load', '--fhir-server', `http://127.0.0.1:${closed}/fhir`]);
    expect(error.code).toBe(1);
    expect(error.stdout).toBe('');
    expect(error.stderr).toBe(`error: cannot reach http://127.0.0.1:${closed}/fhir (ECONNREFUSED); nothing more was sent. Check --fhir-server and that the server is running.\n`);
  });

  it('feedback-report refuses a database that does not exist, and does not create it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbp-report-'));
    try {
      const db = join(dir, 'feedbak.sqlite');
      const error = await failing(['feedback-report', '--db', db]);
      expect(error.code).toBe(1);
      expect(error.stderr).toContain(`error: no feedback database at ${db}.`);
      expect(existsSync(db)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('frames Danish cards in Danish and English cards in English', async () => {
    const p = findDemoPatient('edge-individual-training-limit')!;
    const args = ['hook', '--hook', 'encounter-start', '--service', svc.url, '--patient', p.patientId, '--encounter', p.currentEncounterId!];
    const da = (await cli(args)).stdout;
    expect(da).toMatch(/\[! advarsel\] /);
    expect(da).toMatch(/-> \(anbefalet\) /);
    expect(da).toMatch(/\n {4}begrundelser for at se bort fra kortet: /);
    expect(da).not.toMatch(/override reasons|recommended|\bwarning\b/);
    const en = (await cli([...args, '--lang', 'en'])).stdout;
    expect(en).toMatch(/\n {4}override reasons: /);
    expect(en).not.toMatch(/begrundelser|anbefalet|advarsel/);
  });

  it('says so when the patient does not exist (development), instead of an empty answer', async () => {
    const { stdout } = await cli(['hook', '--service', svc.url, '--patient', 'lbp-c2mid-patien']);
    expect(stdout).toMatch(/\n\[i info\] Patienten findes ikke: ingen Patient-ressource med dette id \(integrationsfejl\)\n/);
    expect(stdout).toContain('**Ingen patient med det id, kaldet angiver.**');
    // The id is never repeated in a card: a patient id may be a CPR number.
    expect(stdout).not.toContain('lbp-c2mid-patien`');
  });

  it('lists the demo patients with the command that shows each one', async () => {
    const { stdout } = await cli(['demo-patients']);
    for (const p of DEMO_PATIENTS) expect(stdout).toContain(p.patientId);
    const mid = findDemoPatient('course-2-mid-course')!;
    expect(stdout).toContain(`npm run cli -- hook --hook encounter-start --patient ${mid.patientId} --encounter ${mid.currentEncounterId!}`);
    expect(stdout).toContain('npm run cli -- hook --hook patient-view --patient lbp-c1-patient');
  });
});

/** A port nothing listens on: one the OS just gave us and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
