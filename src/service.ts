import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from './config.js';
import { createCardRenderer, type CardRenderer } from './cds/cards/card-renderer.js';
import type { HookDeps } from './cds/handle-hook.js';
import { openFeedbackStore, type FeedbackStore } from './feedback/feedback-store.js';
import { createApp } from './http/app.js';
import { createAuthenticator } from './http/authenticate.js';
import type { Express, Router } from 'express';

/**
 * Builds the service from a validated configuration: everything expensive (templates, validators, the course
 * configuration, the database) is prepared once here, never per call.
 */
export interface Service {
  readonly app: Express;
  readonly store: FeedbackStore;
  readonly renderer: CardRenderer;
  readonly hookDeps: HookDeps;
  /** Stop accepting work (readyz answers 503) — used while draining on SIGTERM. */
  drain(): void;
  close(): void;
}

export interface ServiceOptions {
  readonly config: AppConfig;
  readonly logger: Logger;
  /** The embedded FHIR server's router, mounted at /fhir. */
  readonly fhirRouter?: Router;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

export function createService(options: ServiceOptions): Service {
  const { config, logger } = options;
  const courseConfig = config.course;
  const renderer = createCardRenderer({ templatesDir: join(config.projectRoot, 'cds-hooks', 'templates'), definitions: courseConfig.definitions });
  const store = openFeedbackStore(config.feedbackDbPath, {
    onFlushError: (err, rows) => logger.error({ err, rows }, 'issued cards could not be recorded'),
  });
  let ready = true;

  const hookDeps: HookDeps = {
    courseConfig,
    renderer,
    policy: { mode: config.mode, devFhirServers: config.devFhirServers },
    deadlineMs: config.deadlineMs,
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
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

  const app = createApp({
    hook: hookDeps,
    store,
    logger,
    authenticate: createAuthenticator({ trustedIssuers: config.trustedIssuers, requireToken: config.mode === 'production' }),
    defaultLanguage: config.language,
    maxBodyBytes: config.maxBodyBytes,
    ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
    ...(options.fhirRouter ? { fhirRouter: options.fhirRouter } : {}),
    isReady: () => ready,
  });

  return {
    app,
    store,
    renderer,
    hookDeps,
    drain: () => {
      ready = false;
    },
    close: () => store.close(),
  };
}
