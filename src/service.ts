import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DEFAULT_ANONYMOUS_BODY_BYTES, type AppConfig } from './config.js';
import { createCardRenderer, type CardRenderer } from './cds/cards/card-renderer.js';
import type { HookDeps } from './cds/handle-hook.js';
import { createApp } from './http/app.js';
import { createAuthenticator } from './http/authenticate.js';
import { createPatientHasher } from './log-fields.js';
import { openStore } from './storage/open-store.js';
import type { Store } from './storage/store.js';
import type { Express, Router } from 'express';
import { createHookRunner } from './cds/hook-runner.js';
import { createServicePool, RAW_HOOK_BODY_ABOVE_BYTES } from './cds/pool/service-pool.js';
import type { HookPool } from './cds/pool/hook-pool.js';

/**
 * Builds the service from a validated configuration: everything expensive (templates, validators, the course
 * configuration, the database and its migrations) is prepared once here, never per call.
 */
export interface Service {
  readonly app: Express;
  readonly store: Store;
  readonly renderer: CardRenderer;
  readonly hookDeps: HookDeps;
  /** The hook worker threads (undefined with CDS_POOL_THREADS=0). */
  readonly pool?: HookPool;
  /** Stop accepting work (readyz answers 503) — used while draining on SIGTERM. */
  drain(): void;
  close(): Promise<void>;
}

export interface ServiceOptions {
  readonly config: AppConfig;
  readonly logger: Logger;
  /** The embedded FHIR server's router, mounted at /fhir. */
  readonly fhirRouter?: Router;
  /** Pages and browser code, mounted before the 404 (see AppDeps.pages). */
  readonly pages?: readonly Router[];
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/** How often expired replay-cache entries are deleted. */
const PRUNE_INTERVAL_MS = 60_000;
const PATIENT_HASH_KEY = 'patient-hash-key';

export async function createService(options: ServiceOptions): Promise<Service> {
  const { config, logger } = options;
  const courseConfig = config.course;
  const renderer = createCardRenderer({ templatesDir: join(config.projectRoot, 'cds-hooks', 'templates'), definitions: courseConfig.definitions });
  const store = await openStore(
    { ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), sqlitePath: config.feedbackDbPath },
    {
      onFlushError: (err, rows) => logger.error({ err: errorName(err), rows }, 'issued cards could not be recorded'),
      onPoolError: (err) => logger.warn({ err: errorName(err) }, 'database connection lost; the pool reconnects'),
    },
  );
  // One key for every instance on the store (so their logs name a patient alike), unless the configuration sets it.
  const hashKey = config.logHashKey ?? (await store.secret(PATIENT_HASH_KEY, () => randomBytes(32).toString('hex')));
  const now = options.now ?? (() => new Date());
  const prune = (): void => {
    store.pruneTokens(now().getTime() / 1000).catch((err: unknown) => logger.warn({ err: errorName(err) }, 'replay cache not pruned'));
  };
  prune();
  const pruner = setInterval(prune, PRUNE_INTERVAL_MS);
  pruner.unref();
  let ready = true;

  const hookDeps: HookDeps = {
    courseConfig,
    renderer,
    policy: { mode: config.mode, devFhirServers: config.devFhirServers },
    deadlineMs: config.deadlineMs,
    now,
    newId: options.newId ?? randomUUID,
    hashPatient: createPatientHasher(hashKey),
    ...(config.questionnaireAppUrl ? { questionnaireAppUrl: config.questionnaireAppUrl } : {}),
    onCardsIssued: ({ serviceId, hookInstance, cards }) => {
      const issuedAt = new Date().toISOString();
      store.recordCards(
        cards.flatMap((card) =>
          card.uuid && card.source.topic?.code
            ? [{ uuid: card.uuid, serviceId, hookInstance, ruleId: card.source.topic.code, indicator: card.indicator, issuedAt }]
            : [],
        ),
      );
    },
  };

  const pool = createServicePool(config, hookDeps, logger, hashKey);
  const app = createApp({
    hook: hookDeps,
    runHook: createHookRunner(hookDeps, pool),
    ...(pool ? { rawHookBodyAboveBytes: RAW_HOOK_BODY_ABOVE_BYTES } : {}),
    store,
    logger,
    authenticate: createAuthenticator({
      trustedIssuers: config.trustedIssuers,
      requireToken: config.mode === 'production',
      onJwksError: ({ url, cause }) => logger.warn({ jwksUrl: url, cause }, 'JWKS could not be fetched'),
      replayCache: store,
      now,
    }),
    defaultLanguage: config.language,
    maxBodyBytes: config.maxBodyBytes,
    maxAnonymousBodyBytes: config.maxAnonymousBodyBytes ?? DEFAULT_ANONYMOUS_BODY_BYTES,
    ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
    ...(options.fhirRouter ? { fhirRouter: options.fhirRouter } : {}),
    ...(options.pages ? { pages: options.pages } : {}),
    isReady: () => ready,
  });

  return {
    app,
    store,
    renderer,
    hookDeps,
    ...(pool ? { pool } : {}),
    drain: () => {
      ready = false;
    },
    close: async () => {
      clearInterval(pruner);
      await pool?.close();
      await store.close();
    },
  };
}

/** A database error's class and code, not its message (which may quote a value, or the connection URL). */
function errorName(error: unknown): string {
  const e = error as { name?: string; code?: string } | null;
  return [e?.name, e?.code].filter(Boolean).join(' ') || typeof error;
}
