import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { handleHook, type HookCall, type HookDeps } from '../cds/handle-hook.js';
import type { RunHook } from '../cds/hook-runner.js';
import { createHookBodyParser } from './hook-body.js';
import { discoveryDocument } from '../cds/services.js';
import { handleFeedback } from '../cds/handle-feedback.js';
import type { Store } from '../storage/store.js';
import { isLoopbackHost } from '../config.js';
import { forLog } from '../log-fields.js';
import type { Caller } from '../cds/fhir-server-policy.js';
import { InvalidRequestError, isCdsError, isUnauthenticatedError, MethodNotAllowedError, PayloadTooLargeError, StoreUnavailableError, UnknownServiceError, UnsupportedMediaTypeError } from '../cds/errors.js';
import { toOperationOutcome } from '../cds/operation-outcome.js';
import { pickLanguage } from './language.js';
import { answerWrongMethods } from './wrong-methods.js';
import { warnUnknownPatient } from './unknown-patient-warning.js';
import { populationRoutes } from '../population/http/population-routes.js';

/** Verifies the caller (the EHR's JWT); throws UnauthenticatedError. Built by `createAuthenticator`. */
export type Authenticate = (input: { authorization: string | undefined; url: string }) => Promise<Caller>;

export interface AppDeps {
  readonly hook: HookDeps;
  readonly store: Pick<Store, 'recordFeedback'>;
  readonly logger: Logger;
  readonly authenticate: Authenticate;
  readonly defaultLanguage: 'da' | 'en';
  /** Body limit of an authenticated call (a verified JWT). */
  readonly maxBodyBytes: number;
  /** Body limit of a call without a token (development only; production refuses them before reading the body). */
  readonly maxAnonymousBodyBytes?: number;
  /**
   * The public base URL (scheme://host[:port]) for the JWT `aud`; required in production. Without it (development,
   * tests) the address the socket was accepted on, never a Host header naming anything but loopback.
   */
  readonly publicBaseUrl?: string;
  /** The embedded FHIR server, mounted at /fhir when present. */
  readonly fhirRouter?: Router;
  readonly isReady?: () => boolean;
  /** Pages and browser code (the SMART app at /app/, the development EHR simulator at /), tried before the 404. */
  readonly pages?: readonly Router[];
  /** Runs a hook call (on the event loop or a worker thread, see cds/hook-runner.ts); default: handleHook inline. */
  readonly runHook?: RunHook;
  /** Hook bodies above this many bytes reach `runHook` as raw bytes (parsed off the event loop). */
  readonly rawHookBodyAboveBytes?: number;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // CORS headers, the request id and the request's log line in one middleware: it runs on every request, and each
  // layer of express's router costs a match and a next().
  app.use((req, res, next) => {
    const start = performance.now();
    for (const [name, value] of CORS_HEADERS) res.setHeader(name, value);
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? CORS_ALLOW_HEADERS);
    // A preflight is answered here, as before any other work: no request id, no log line.
    if (req.method === 'OPTIONS') {
      // Private Network Access: a page on the internet (the hosted CDS Hooks sandbox) may call a service on the
      // user's own machine only when the preflight says so.
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
      res.status(204).end();
      return;
    }
    const id = randomUUID();
    res.locals.requestId = id;
    res.locals.start = start;
    res.setHeader('X-Request-Id', id);
    // One log line per request: ids, timings, topics. Never bodies, headers or tokens.
    res.on('finish', () => {
      const locals = res.locals;
      const line: Record<string, unknown> = {
        requestId: id,
        method: req.method,
        // Caller input: escaped and cut short, like every other untrusted value in the log.
        path: forLog(req.path),
        status: res.statusCode,
        ms: Math.round((performance.now() - start) * 10) / 10,
      };
      if (locals.cdsService) line.cdsService = locals.cdsService;
      if (locals.iss) line.iss = locals.iss;
      if (locals.hook) line.hook = locals.hook;
      if (locals.feedback) line.feedback = locals.feedback;
      if (locals.reason) line.reason = locals.reason;
      if (locals.auth) line.auth = locals.auth;
      deps.logger.info(line, 'request');
    });
    next();
  });

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const ready = deps.isReady ? deps.isReady() : true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'draining' });
  });
  if (deps.fhirRouter) app.use('/fhir', deps.fhirRouter);

  // Feedback bodies are small JSON; hook bodies may be large, kept raw for a worker thread (see hook-body.ts).
  const anonymousLimit = Math.min(deps.maxBodyBytes, deps.maxAnonymousBodyBytes ?? deps.maxBodyBytes);
  const rawAbove = deps.runHook && deps.rawHookBodyAboveBytes !== undefined ? { rawAboveBytes: deps.rawHookBodyAboveBytes } : {};
  const json = createHookBodyParser({ maxBodyBytes: deps.maxBodyBytes, ...rawAbove });
  const anonymousJson = createHookBodyParser({ maxBodyBytes: anonymousLimit, ...rawAbove });

  // The JWT is checked on the headers alone, before a byte of the body is read: a caller without valid credentials
  // costs a signature check at most, never 5 MiB of reading and parsing (the flood of issue 10).
  const authenticated = (req: Request, res: Response, next: NextFunction): void => {
    const url = `${audienceBase(req, deps.publicBaseUrl)}${req.originalUrl.split('?')[0]}`;
    deps.authenticate({ authorization: req.get('authorization'), url }).then((who) => {
      res.locals.caller = who;
      res.locals.iss = who.issuer?.iss;
      next();
    }, next);
  };
  const body = (req: Request, res: Response, next: NextFunction): void => {
    ((res.locals.caller as Caller).issuer ? json : anonymousJson)(req, res, next);
  };

  app.get('/cds-services', authenticated, (req, res) => {
    const lang = pickLanguage(req.get('accept-language'), deps.defaultLanguage);
    res.setHeader('Content-Language', lang);
    res.json(discoveryDocument(lang, deps.hook.courseConfig.definitions));
  });

  const runHook: RunHook = deps.runHook ?? ((call) => handleHook(call as HookCall, deps.hook));
  app.post('/cds-services/:id', authenticated, body, async (req, res) => {
    const who = res.locals.caller as Caller;
    const lang = pickLanguage(req.get('accept-language'), deps.defaultLanguage);
    // The service's own base URL: an app URL configured as a path (the embedded app) is made absolute on it.
    const call = { serviceId: String(req.params.id), lang, caller: who, serviceBaseUrl: audienceBase(req, deps.publicBaseUrl) };
    const result = await runHook(Buffer.isBuffer(req.body) ? { ...call, raw: req.body } : { ...call, body: bodyOf(req) });
    // Named only once known: the path is caller input, the log's `path` already carries it as sent.
    res.locals.cdsService = String(req.params.id);
    res.locals.hook = result.log;
    if (result.log.unknownPatient) warnUnknownPatient(deps.logger, res.locals.requestId as string, result.log);
    res.setHeader('Content-Language', lang);
    res.json({ cards: result.cards });
  });

  app.post('/cds-services/:id/feedback', authenticated, body, async (req, res) => {
    const result = await handleFeedback(String(req.params.id), bodyOf(req), deps.store, new Date().toISOString());
    res.locals.cdsService = String(req.params.id);
    res.locals.feedback = result;
    res.json({});
  });

  app.use(populationRoutes({ authenticated, hook: deps.hook, json: body, page: deps.fhirRouter !== undefined }));
  for (const pages of deps.pages ?? []) app.use(pages);
  answerWrongMethods(app);
  app.use((req, _res, next) => next(new UnknownServiceError(req.path)));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const translated = translateBodyParserError(error);
    const mapped = toOperationOutcome(translated);
    // A body we never read (refused before it, or too large) is neither read nor drained for keep-alive: once the
    // answer is out the connection is dropped, so a flood of large unauthenticated bodies costs a header parse each.
    if (!req.complete) {
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.socket.destroy());
    }
    if (isUnauthenticatedError(error) && error.details) res.locals.auth = error.details;
    if (mapped.status >= 500) deps.logger.error({ error: errorForLog(error), requestId: res.locals.requestId }, 'unexpected error');
    else if (translated !== error) {
      // Never the parser's own message: JSON.parse quotes the body around the error ("...\"Sørensen\", ..."),
      // and the body is patient data. Its kind is enough to tell what went wrong.
      const e = error as { type?: unknown; code?: unknown; name?: unknown };
      res.locals.reason = `unreadable request: ${String(e.type ?? e.code ?? e.name ?? 'unknown')}`;
    } else res.locals.reason = forLog((error as { reason?: string }).reason ?? (error as Error).message, REASON_MAX);
    if (translated instanceof MethodNotAllowedError) res.setHeader('Allow', translated.allow.join(', '));
    if (translated instanceof StoreUnavailableError) res.setHeader('Retry-After', String(STORE_RETRY_AFTER_SEC));
    res.status(mapped.status).type('application/fhir+json').send(JSON.stringify(mapped.body));
    void req;
  });

  return app;
}

/** What a 503 for an unreachable database tells the caller to wait before sending the call again. */
const STORE_RETRY_AFTER_SEC = 2;

/** A reason may quote caller input (an unknown service id): escaped, and cut a little later than a bare value. */
const REASON_MAX = 200;

/**
 * The base of the URL the EHR called, for the JWT `aud`. Configured in production. Elsewhere the socket's local
 * address, which a client cannot forge; the Host header's name is used only when it is loopback too (a developer's
 * `localhost:3000`), so a token minted for another deployment never matches.
 */
function audienceBase(req: Request, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl) return publicBaseUrl;
  const port = req.socket.localPort;
  const hostHeader = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(req.headers.host ?? '');
  if (hostHeader && isLoopbackHost(hostHeader[1]!) && Number(hostHeader[2] ?? 80) === port) return `http://${hostHeader[1]!}:${port}`;
  const address = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

function bodyOf(req: Request): unknown {
  // express.json leaves the body undefined when the content type is not JSON.
  if (req.body === undefined) throw new InvalidRequestError([{ path: '', message: 'the body must be JSON (Content-Type: application/json)' }]);
  return req.body;
}

/** body-parser's errors carry `type`; they become our 400/413 instead of a 500. */
function translateBodyParserError(error: unknown): unknown {
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.too.large') return new PayloadTooLargeError();
  if (type === 'entity.parse.failed') return new InvalidRequestError([{ path: '', message: 'the body is not valid JSON' }]);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported' || type === 'request.aborted' || type === 'entity.verify.failed') {
    return new InvalidRequestError([{ path: '', message: 'the body could not be read' }]);
  }
  // Other client errors from express's plumbing carry an http-errors status but no `type`: a body whose
  // Content-Encoding does not match its bytes (zlib's errors), a path with broken percent-encoding (URIError).
  // They are the client's fault, so a 400, never a 500.
  const status = (error as { status?: unknown } | null)?.status;
  // Our own errors carry a status too, and already say exactly what is wrong.
  if (isCdsError(error)) return error;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return new PayloadTooLargeError(undefined, { cause: error });
    if (status === 415) return new UnsupportedMediaTypeError(undefined, { cause: error });
    return new InvalidRequestError([{ path: '', message: 'the request could not be read' }], { cause: error });
  }
  return error;
}

/** The CORS headers every answer carries; Allow-Headers echoes the preflight's request when there is one. */
const CORS_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS'],
  ['Access-Control-Expose-Headers', 'X-Request-Id, Content-Language'],
  ['Access-Control-Max-Age', '600'],
];
const CORS_ALLOW_HEADERS = 'Authorization, Content-Type, Accept, Accept-Language';

/**
 * An unexpected error as the log may hold it: its class and where it was thrown, not its message. A message can
 * quote what it failed on (a body, a FHIR resource, a token), and the log must never carry patient data or tokens.
 */
export function errorForLog(error: unknown): { name: string; code?: string; frames: string[] } {
  const e = error as { name?: unknown; code?: unknown; stack?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : typeof error;
  const frames = typeof e?.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 8).map((l) => l.trim()) : [];
  return { name, ...(typeof e?.code === 'string' ? { code: e.code } : {}), frames };
}
