import { loadDemoBundles } from '../../src/demo/patients.js';
import { createWebAssetsRouter } from '../../src/http/web-assets.js';
import { createDevelopmentSandbox, type DevelopmentSandbox } from '../../src/sandbox/development.js';
import { withDevelopmentSandbox } from '../../src/sandbox/development-config.js';
import { PROJECT_ROOT, startService, type RunningService } from './start-service.js';

/** The service as `npm start` runs it: development mode, embedded FHIR + SMART servers, simulator, app. */
export interface RunningDevelopment extends RunningService {
  readonly sandbox: DevelopmentSandbox;
}

export async function startDevelopment(options: { accessTokenSec?: number; now?: () => Date } = {}): Promise<RunningDevelopment> {
  const sandbox = await createDevelopmentSandbox({
    bundles: loadDemoBundles(PROJECT_ROOT),
    projectRoot: PROJECT_ROOT,
    ...(options.accessTokenSec ? { accessTokenSec: options.accessTokenSec } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const svc = await startService({
    env: { NODE_ENV: 'development' },
    fhirRouter: sandbox.fhir.router,
    pages: [createWebAssetsRouter({ projectRoot: PROJECT_ROOT, build: 'memory' }), sandbox.pages],
    adjustConfig: (config) => withDevelopmentSandbox(config, sandbox.simulatorIssuer),
  });
  return Object.assign(svc, { sandbox });
}
