import { Command, Option } from 'commander';
import { randomUUID } from 'node:crypto';
import { CodeSystemUrl } from '../canonical.js';
import type { ConsultationCode, Definitions } from '../course/index.js';
import { cliDefinitions } from './cli-definitions.js';
import { HOOKS } from '../cds/services.js';
import { formatCards, type CardLanguage } from './format-cards.js';
import { consultationCodeParser, parseDateTime, parseFhirId, parseHttpUrl, parseNonEmpty } from './option-parsers.js';
import { serviceTarget } from './service-url.js';
import { connectionReason } from './connection-reason.js';

/** `hook`: call a hook on a running service for a patient on any FHIR server and print the cards readably. */

interface HookOptions {
  hook: (typeof HOOKS)[number];
  service?: string;
  fhirServer?: string;
  patient?: string;
  encounter?: string;
  token?: string;
  code?: ConsultationCode;
  start?: string;
  jwt?: string;
  lang: CardLanguage;
  json?: boolean;
}

const DEFAULT_CODE: ConsultationCode = '0266';
const TIMEOUT_MS = 30_000;

export function hookCommand(env: NodeJS.ProcessEnv, projectRoot: string): Command {
  const definitions = cliDefinitions(env, projectRoot);
  return new Command('hook')
    .description('call a hook on the CDS service for a patient and print the cards')
    .addOption(new Option('--hook <hook>', 'hook to fire').choices(HOOKS).default('patient-view'))
    .option('--patient <id>', 'patient id (required)', parseFhirId)
    .option('--encounter <id>', 'current Encounter id (required for encounter-start)', parseFhirId)
    .option('--service <url>', 'CDS service base URL (default: CDS_SERVICE_URL, else http://127.0.0.1:$PORT, else port 3000)', parseHttpUrl)
    .option('--fhir-server <url>', "FHIR base URL the service reads from (default: the service's embedded server, <service>/fhir)", parseHttpUrl)
    .option('--token <token>', 'bearer token for the FHIR server (sent to the service as fhirAuthorization)', parseNonEmpty)
    .option('--code <code>', `appointment-book: consultation code of the proposed Appointment (default ${DEFAULT_CODE})`, consultationCodeParser(definitions))
    .option('--start <dateTime>', 'appointment-book: start of the proposed Appointment, e.g. 2026-12-03T10:00:00+01:00 (default: now)', parseDateTime)
    .option('--jwt <jwt>', 'Authorization JWT for the CDS service', parseNonEmpty)
    .addOption(new Option('--lang <lang>', 'card language').choices(['da', 'en']).default('da'))
    .option('--json', 'print the raw response')
    .action(async (opts: HookOptions, command: Command) => {
      // Checked here, not by requiredOption: commander reports a missing required option before an unknown one.
      if (!opts.patient) command.error("error: required option '--patient <id>' not specified");
      if (opts.hook === 'encounter-start' && !opts.encounter) command.error("error: option '--encounter <id>' is required for --hook encounter-start");
      if (opts.hook !== 'appointment-book' && (opts.code || opts.start)) {
        command.error(`error: --code and --start apply to --hook appointment-book only (this call is ${opts.hook})`);
      }
      let target;
      try {
        target = serviceTarget(opts.service, env);
      } catch (error) {
        command.error(`error: ${(error as Error).message}`);
      }
      const fhirServer = opts.fhirServer ?? `${target.url}/fhir`;
      const body = requestBody(opts, opts.patient, fhirServer, definitions());
      const url = `${target.url}/cds-services/lbp-${opts.hook}`;
      // The URL called is always shown (on stderr with --json, so stdout stays the JSON alone).
      const say = (line: string): boolean => (opts.json ? process.stderr : process.stdout).write(`${line}\n`);
      say(`POST ${url}${target.from === '--service' ? '' : `   (service from ${target.from === 'default' ? 'the default port' : target.from})`}`);
      if (!opts.fhirServer) say(`fhirServer ${fhirServer}   (the service's embedded FHIR server; --fhir-server to change)`);
      const started = performance.now();
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Accept-Language': opts.lang,
            ...(opts.jwt ? { Authorization: `Bearer ${opts.jwt}` } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        command.error(`error: cannot reach ${url} (${connectionReason(error, TIMEOUT_MS)}). Is the service running (npm start)? Else pass --service or set CDS_SERVICE_URL.`);
      }
      const ms = Math.round(performance.now() - started);
      const json: unknown = await response.json().catch(() => undefined);
      if (opts.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      else if (!response.ok) process.stdout.write(`HTTP ${response.status} in ${ms} ms\n${JSON.stringify(json, null, 2)}\n`);
      else process.stdout.write(`HTTP ${response.status} in ${ms} ms\n\n${formatCards((json as { cards?: unknown[] }).cards ?? [], opts.lang)}\n`);
      if (!response.ok) process.exitCode = 1;
    });
}

function requestBody(opts: HookOptions, patientId: string, fhirServer: string, defs: Definitions): Record<string, unknown> {
  const context: Record<string, unknown> = { userId: 'Practitioner/cli', patientId };
  if (opts.encounter) context.encounterId = opts.encounter;
  if (opts.hook === 'appointment-book') {
    context.appointments = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: appointment(patientId, opts.code ?? DEFAULT_CODE, opts.start ?? new Date().toISOString(), defs) }],
    };
  }
  const body: Record<string, unknown> = { hook: opts.hook, hookInstance: randomUUID(), fhirServer, context };
  if (opts.token) {
    body.fhirAuthorization = { access_token: opts.token, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'structured-course-cds-cli' };
  }
  return body;
}

function appointment(patientId: string, code: ConsultationCode, start: string, defs: Definitions): object {
  const definition = defs.codes.get(code);
  return {
    resourceType: 'Appointment',
    id: `cli-${randomUUID()}`,
    status: 'proposed',
    serviceType: [{ coding: [{ system: definition?.system ?? CodeSystemUrl.consultation, code, ...(definition ? { display: definition.name.da } : {}) }] }],
    start,
    participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'needs-action' }],
  };
}
