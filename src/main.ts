import { once } from 'node:events';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { ConfigError, DEFAULT_REQUEST_TIMEOUT_MS, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { jsonDestination, prettyDestination, wantsPrettyLogs } from './log-destination.js';
import { createService } from './service.js';
import { loadDemoBundles } from './demo/patients.js';
import { startBanner } from './demo/banner.js';
import { VERSION } from './version.js';
import { createWebAssetsRouter } from './http/web-assets.js';
import { withDevelopmentSandbox } from './sandbox/development-config.js';
import { isClusterWorker, isFirstWorker, runClusterPrimary, withWorkerId } from './cluster.js';
import { activeDefinitionsBundle } from './fhir/definitions/write-plan-definition.js';
import type { Bundle } from 'fhir/r4.js';

/** Wires configuration, logger and app together; the only place that reads process.env. */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const startedAt = performance.now();
  let config;
  try {
    config = loadConfig(process.env, projectRoot);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logOutput = wantsPrettyLogs(config.mode, process.stdout.isTTY === true) ? await prettyDestination() : jsonDestination();
  const logger = withWorkerId(createLogger(config.logLevel, logOutput));
  if ((config.workers ?? 1) > 1 && !isClusterWorker()) {
    runClusterPrimary({ workers: config.workers ?? 1, logger, drainMs: config.deadlineMs + 5_000 });
    return;
  }

  // Imported only when wanted: the FHIR definitions behind the sandbox take ~1 s to load, which a production
  // start (no sandbox) must not pay.
  // The PlanDefinitions served are the active ones (overrides applied), as the cards state them.
  const bundles = [...loadDemoBundles(projectRoot), activeDefinitionsBundle(config.course.definitions) as unknown as Bundle];
  // Development adds the SMART authorization server, the EHR simulator and its signing key; production never does.
  const development = config.sandbox && config.mode !== 'production'
    ? await (await import('./sandbox/development.js')).createDevelopmentSandbox({ bundles, projectRoot })
    : undefined;
  const sandbox = development?.fhir ?? (config.sandbox
    ? await (await import('./sandbox/index.js')).createFhirServer({ bundles })
    : undefined);
  const pages = [createWebAssetsRouter({ projectRoot, build: config.mode === 'production' ? 'dist' : 'memory', definitions: config.course.definitions }), ...(development ? [development.pages] : [])];
  const service = await createService({
    config: development ? withDevelopmentSandbox(config, development.simulatorIssuer) : config,
    logger,
    pages,
    ...(sandbox ? { fhirRouter: sandbox.router } : {}),
  });

  // Slow clients must not hold sockets forever. Node enforces these timeouts only when it checks its connections
  // (every 30 s by default), so a stalled client could hold a socket for up to 30 s more: we check every second.
  const requestTimeout = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = createServer({
    requestTimeout,
    headersTimeout: Math.min(10_000, requestTimeout),
    connectionsCheckingInterval: Math.min(1_000, requestTimeout),
  }, service.app);
  server.keepAliveTimeout = 5_000;
  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const base = `http://${config.host}:${port}`;

  if (config.mode !== 'production' && config.trustedIssuers.every((i) => i.developmentOnly)) {
    logger.warn('development mode: unauthenticated calls are accepted (loopback FHIR servers only); never expose this port');
  }
  const demoIssuers = config.trustedIssuers.filter((i) => i.developmentOnly).map((i) => i.iss);
  if (demoIssuers.length > 0) logger.info({ issuers: demoIssuers }, 'development mode trusts the public CDS Hooks sandbox (its private key is public)');
  logger.info({ base, version: VERSION, mode: config.mode, store: service.store.kind, sandbox: Boolean(sandbox), deadlineMs: config.deadlineMs, startMs: Math.round(performance.now() - startedAt) }, 'ready');
  // Through the logs' own stream: JSON logs are written asynchronously, and the banner must follow 'ready' in a pipe too.
  if (sandbox && isFirstWorker()) logOutput.write(startBanner({ base, version: VERSION }));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining in-flight calls');
    service.drain();
    server.close(() => {
      void service.close().finally(() => {
        logger.info('stopped');
        process.exit(0);
      });
    });
    // A keep-alive socket whose call finishes during the drain turns idle and would hold `close` open until the
    // client drops it (undici: 4 s) or the cut-off below: close idle sockets as they appear.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 50).unref();
    // In-flight calls finish within their deadline; anything still open after that is cut.
    setTimeout(() => {
      server.closeAllConnections();
    }, config.deadlineMs + 2_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
});
