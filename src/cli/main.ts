import { Command, Option } from 'commander';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCards } from './format-cards.js';
import { loadBundles } from './load-bundles.js';
import { registerDefinitionsCommand } from './definitions-command.js';
import { openFeedbackStore, formatFeedbackReport } from '../feedback/feedback-store.js';

/**
 * The integrators' command line: call a hook on a running service for a patient on any FHIR server and print the
 * cards readably; load our example Bundles into any FHIR server; print the feedback report.
 */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const program = new Command('structured-course-cds').description('Integrator tools for the structured-course CDS service');

program
  .command('hook')
  .description('call a hook on the CDS service for a patient and print the cards')
  .addOption(new Option('--hook <hook>', 'hook to fire').choices(['encounter-start', 'patient-view', 'appointment-book']).default('patient-view'))
  .requiredOption('--fhir-server <url>', 'FHIR base URL the service reads from')
  .requiredOption('--patient <id>', 'patient id')
  .option('--encounter <id>', 'current encounter id (encounter-start)')
  .option('--token <token>', 'bearer token for the FHIR server (sent to the service as fhirAuthorization)')
  .option('--code <code>', 'appointment-book: consultation code of the proposed Appointment', '0266')
  .option('--start <dateTime>', 'appointment-book: start of the proposed Appointment', new Date().toISOString())
  .option('--service <url>', 'CDS service base URL', 'http://127.0.0.1:3000')
  .option('--jwt <jwt>', 'Authorization JWT for the CDS service')
  .addOption(new Option('--lang <lang>', 'card language').choices(['da', 'en']).default('da'))
  .option('--json', 'print the raw response')
  .action(async (opts: Record<string, string | boolean | undefined>) => {
    const hook = String(opts.hook);
    if (hook === 'encounter-start' && !opts.encounter) program.error('--encounter is required for encounter-start');
    const context: Record<string, unknown> = { userId: 'Practitioner/cli', patientId: opts.patient };
    if (opts.encounter) context.encounterId = opts.encounter;
    if (hook === 'appointment-book') {
      context.appointments = {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: appointment(String(opts.patient), String(opts.code), String(opts.start)) }],
      };
    }
    const body: Record<string, unknown> = { hook, hookInstance: randomUUID(), fhirServer: opts.fhirServer, context };
    if (opts.token) {
      body.fhirAuthorization = { access_token: opts.token, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'structured-course-cds-cli' };
    }
    const url = `${String(opts.service).replace(/\/$/, '')}/cds-services/lbp-${hook}`;
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Accept-Language': String(opts.lang),
        ...(opts.jwt ? { Authorization: `Bearer ${String(opts.jwt)}` } : {}),
      },
      body: JSON.stringify(body),
    }).catch((error: unknown) => program.error(`cannot reach ${url}: ${(error as Error).message}`));
    const ms = Math.round(performance.now() - started);
    const json: unknown = await response.json().catch(() => undefined);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else if (!response.ok) {
      process.stdout.write(`HTTP ${response.status} in ${ms} ms\n${JSON.stringify(json, null, 2)}\n`);
    } else {
      process.stdout.write(`HTTP ${response.status} in ${ms} ms\n\n${formatCards((json as { cards?: unknown[] }).cards ?? [])}\n`);
    }
    if (!response.ok) process.exitCode = 1;
  });

program
  .command('load')
  .description('load Bundles (default: our example Bundles) into a FHIR server as transactions')
  .requiredOption('--fhir-server <url>', 'FHIR base URL')
  .option('--token <token>', 'bearer token')
  .argument('[files...]', 'Bundle files', [])
  .action(async (files: string[], opts: { fhirServer: string; token?: string }) => {
    const ok = await loadBundles({
      fhirServer: opts.fhirServer,
      ...(opts.token ? { token: opts.token } : {}),
      files: files.length > 0 ? files.map((f) => resolve(f)) : undefined,
      projectRoot,
      progress: (line) => process.stdout.write(`${line}\n`),
    });
    if (!ok) process.exitCode = 1;
  });

program
  .command('feedback-report')
  .description('acceptance and override rates per rule and override reason')
  .option('--db <path>', 'feedback database', resolve(projectRoot, 'data/feedback.sqlite'))
  .action((opts: { db: string }) => {
    const store = openFeedbackStore(opts.db);
    try {
      process.stdout.write(formatFeedbackReport(store));
    } finally {
      store.close();
    }
  });

registerDefinitionsCommand(program, projectRoot);

function appointment(patientId: string, code: string, start: string): object {
  const names = JSON.parse(readFileSync(resolve(projectRoot, 'fhir-resources/CodeSystem-consultation-code.json'), 'utf8')) as {
    url: string;
    concept: { code: string; display: string }[];
  };
  const concept = names.concept.find((c) => c.code === code);
  if (!concept) throw new Error(`unknown consultation code ${code}`);
  return {
    resourceType: 'Appointment',
    id: `cli-${randomUUID()}`,
    status: 'proposed',
    serviceType: [{ coding: [{ system: names.url, code, display: concept.display }] }],
    start: new Date(start).toISOString(),
    participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'needs-action' }],
  };
}

await program.parseAsync(process.argv);
