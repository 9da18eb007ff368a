import { demoHookCommand } from './demo-commands.js';
import { DEMO_PATIENTS, findDemoPatient, type DemoPatient } from './patients.js';

/** The demo patients the banner offers: the main demo (a compliant mid-course call) and one that breaks a limit. */
const BANNER_PATIENTS = ['course-2-mid-course', 'edge-individual-training-limit'] as const;
/** The CLI's own default: the commands need no --service when the service is there. */
const CLI_DEFAULT_BASE = 'http://127.0.0.1:3000';

/**
 * What `npm start` prints once it listens with the embedded FHIR server: where to look (the simulator page), two
 * commands to paste, and where the other demo patients are listed. Plain text, no log framing.
 */
export function startBanner(options: { base: string; version: string }): string {
  const { base, version } = options;
  const service = base === CLI_DEFAULT_BASE ? '' : `--service ${base}`;
  const [main, warning] = BANNER_PATIENTS.map((key) => findDemoPatient(key)) as [DemoPatient, DemoPatient];
  return [
    '',
    `structured-course-cds ${version}, development mode, with an embedded FHIR server and ${DEMO_PATIENTS.length} demo patients`,
    '',
    `  Simulator (an EHR in the browser):  ${base}/`,
    '',
    `  ${main.title.en}, in a second terminal:`,
    `    ${demoHookCommand(main, service)}`,
    `  ${warning.title.en}, in English:`,
    `    ${demoHookCommand(warning, [service, '--lang en'].filter(Boolean).join(' '))}`,
    '',
    '  Every demo patient, what it shows and its command:  npm run cli -- demo-patients',
    `  Discovery: ${base}/cds-services    FHIR server: ${base}/fhir    README: "Integrating an EHR"`,
    '',
    '',
  ].join('\n');
}
