import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { loadConfig, type AppConfig, type TrustedIssuer } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createService, type Service } from '../../src/service.js';
import { expectValidCdsResponse } from '../helpers/cds-response.js';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

/** The real service on 127.0.0.1:<random port>, with its own temporary database and captured logs. */
export interface RunningService {
  readonly url: string;
  readonly service: Service;
  readonly config: AppConfig;
  /** Every log line the service wrote, as text. */
  readonly logs: string[];
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers; ms: number }>;
  /** POST a hook call; a 200 body is checked against our response schema. */
  hook(serviceId: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; ms: number }>;
  close(): Promise<void>;
}

export async function startService(options: {
  env?: Record<string, string>;
  trustedIssuers?: TrustedIssuer[];
  fhirRouter?: import('express').Router;
  /** Pages and browser code (AppDeps.pages). */
  pages?: readonly import('express').Router[];
  /** Applied to the loaded configuration last (e.g. withDevelopmentSandbox). */
  adjustConfig?: (config: AppConfig) => AppConfig;
  dbPath?: string;
  now?: () => Date;
} = {}): Promise<RunningService> {
  const dir = mkdtempSync(join(tmpdir(), 'lbp-cds-'));
  // The socket first, so production mode (which requires PUBLIC_BASE_URL) can be told the URL it is called at.
  const server: Server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env: Record<string, string> = { NODE_ENV: 'test', ...options.env };
  if (env.NODE_ENV === 'production' && env.PUBLIC_BASE_URL === undefined) env.PUBLIC_BASE_URL = url;
  // Production reads its issuers from the configuration file only, as in a deployment.
  if (env.NODE_ENV === 'production' && options.trustedIssuers && env.CDS_CONFIG === undefined) {
    env.CDS_CONFIG = join(dir, 'config.json');
    writeFileSync(env.CDS_CONFIG, JSON.stringify({ trustedIssuers: options.trustedIssuers }));
  }
  const base = loadConfig(env, PROJECT_ROOT);
  const loaded: AppConfig = {
    ...base,
    feedbackDbPath: options.dbPath ?? join(dir, 'feedback.sqlite'),
    logLevel: 'info',
    ...(options.trustedIssuers ? { trustedIssuers: options.trustedIssuers } : {}),
  };
  const config = options.adjustConfig ? options.adjustConfig(loaded) : loaded;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const service = await createService({
    config,
    logger: createLogger('info', sink),
    ...(options.fhirRouter ? { fhirRouter: options.fhirRouter } : {}),
    ...(options.pages ? { pages: options.pages } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  server.on('request', service.app);
  const post: RunningService['post'] = async (path, body, headers = {}) => {
    const started = performance.now();
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { status: response.status, body: parsed, headers: response.headers, ms: performance.now() - started };
  };
  return {
    url,
    service,
    config,
    logs,
    post,
    async hook(serviceId, body, headers) {
      const result = await post(`/cds-services/${serviceId}`, body, headers);
      if (result.status === 200) expectValidCdsResponse(result.body);
      else if (result.status >= 400) {
        if ((result.body as { resourceType?: string })?.resourceType !== 'OperationOutcome') {
          throw new Error(`error ${result.status} without an OperationOutcome: ${JSON.stringify(result.body)}`);
        }
      }
      return result;
    },
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
