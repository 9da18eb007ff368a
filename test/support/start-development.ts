import { loadDemoBundles } from '../../src/demo/patients.js';
import { createWebAssetsRouter } from '../../src/http/web-assets.js';
import { SHIPPED_DEFINITIONS } from '../../src/fhir/definitions/shipped.js';
import { createDevelopmentSandbox, type DevelopmentSandbox } from '../../src/sandbox/development.js';
import { withDevelopmentSandbox } from '../../src/sandbox/development-config.js';
import { PROJECT_ROOT, startService, type RunningService } from './start-service.js';

/** The service as `npm start` runs it: development mode, embedded FHIR + SMART servers, simulator, app. */
export interface RunningDevelopment extends RunningService {
  readonly sandbox: DevelopmentSandbox;
}

export async function startDevelopment(options: {
  accessTokenSec?: number;
  now?: () => Date;
  /** The hook handler's clock (patient-view evaluates at it); `now` is the sandbox's. */
  serviceNow?: () => Date;
} = {}): Promise<RunningDevelopment> {
  const sandbox = await createDevelopmentSandbox({
    bundles: loadDemoBundles(PROJECT_ROOT),
    projectRoot: PROJECT_ROOT,
    ...(options.accessTokenSec ? { accessTokenSec: options.accessTokenSec } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const svc = await startService({
    // A browser, the service and its embedded FHIR server share this machine's cores with the rest of the suite:
    // the deadline is the maximum (deadline behaviour has tests of its own; these are about what a clinician sees).
    env: { NODE_ENV: 'development', CDS_DEADLINE_MS: '10000' },
    fhirRouter: sandbox.fhir.router,
    pages: [createWebAssetsRouter({ projectRoot: PROJECT_ROOT, build: 'memory', definitions: SHIPPED_DEFINITIONS }), sandbox.pages],
    adjustConfig: (config) => withDevelopmentSandbox(config, sandbox.simulatorIssuer),
    ...(options.serviceNow ? { now: options.serviceNow } : {}),
  });
  return Object.assign(svc, { sandbox });
}
