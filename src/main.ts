import { once } from 'node:events';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { ConfigError, DEFAULT_REQUEST_TIMEOUT_MS, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createService } from './service.js';
import { DEMO_PATIENTS, loadDemoBundles } from './demo/patients.js';
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
  const logger = createLogger(config.logLevel);

  // Imported only when wanted: the FHIR definitions behind the sandbox take ~1 s to load, which a production
  // start (no sandbox) must not pay.
  const sandbox = config.sandbox
    ? await (await import('./sandbox/index.js')).createFhirServer({ bundles: [...loadDemoBundles(projectRoot), activeDefinitionsBundle(config.course.definitions) as unknown as Bundle] })
    : undefined;
  const service = createService({ config, logger, ...(sandbox ? { fhirRouter: sandbox.router } : {}) });

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

  if (config.mode !== 'production' && config.trustedIssuers.length === 0) {
    logger.warn('development mode: unauthenticated calls are accepted (loopback FHIR servers only); never expose this port');
  }
  logger.info({ base, mode: config.mode, sandbox: Boolean(sandbox), deadlineMs: config.deadlineMs, startMs: Math.round(performance.now() - startedAt) }, 'ready');
  if (sandbox) printDemoCommands(base);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining in-flight calls');
    service.drain();
    server.close(() => {
      service.close();
      logger.info('stopped');
      process.exit(0);
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

function printDemoCommands(base: string): void {
  const lines = [`\nEmbedded FHIR server: ${base}/fhir   Discovery: curl -s ${base}/cds-services\n`, 'Demo patients (paste a command to see the cards):'];
  for (const p of DEMO_PATIENTS) {
    const hook = p.currentEncounterId ? 'encounter-start' : 'patient-view';
    const context = p.currentEncounterId
      ? `"userId":"Practitioner/demo","patientId":"${p.patientId}","encounterId":"${p.currentEncounterId}"`
      : `"userId":"Practitioner/demo","patientId":"${p.patientId}"`;
    const body = `{"hook":"${hook}","hookInstance":"d3b07384-d113-4ec6-a5b1-4a1b2c3d4e5f","fhirServer":"${base}/fhir","context":{${context}}}`;
    lines.push(`\n# ${p.title.en} (${p.patientId})`);
    lines.push(`curl -s -X POST ${base}/cds-services/lbp-${hook} -H 'Content-Type: application/json' -d '${body}'`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
});
