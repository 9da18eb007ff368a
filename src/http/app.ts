import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { handleHook, type HookDeps } from '../cds/handle-hook.js';
import { discoveryDocument } from '../cds/services.js';
import { handleFeedback } from '../cds/handle-feedback.js';
import type { FeedbackStore } from '../feedback/feedback-store.js';
import type { Caller } from '../cds/fhir-server-policy.js';
import { InvalidRequestError, isCdsError, MethodNotAllowedError, PayloadTooLargeError, UnknownServiceError, UnsupportedMediaTypeError } from '../cds/errors.js';
import { toOperationOutcome } from '../cds/operation-outcome.js';
import { pickLanguage } from './language.js';
import { answerWrongMethods } from './wrong-methods.js';
import { warnUnknownPatient } from './unknown-patient-warning.js';

/** Verifies the caller (the EHR's JWT); throws UnauthenticatedError. Built by `createAuthenticator`. */
export type Authenticate = (input: { authorization: string | undefined; url: string }) => Promise<Caller>;

export interface AppDeps {
  readonly hook: HookDeps;
  readonly store: FeedbackStore;
  readonly logger: Logger;
  readonly authenticate: Authenticate;
  readonly defaultLanguage: 'da' | 'en';
  readonly maxBodyBytes: number;
  /** The public base URL (scheme://host[:port]) for the JWT `aud`; else taken from the request. */
  readonly publicBaseUrl?: string;
  /** The embedded FHIR server, mounted at /fhir when present. */
  readonly fhirRouter?: Router;
  readonly isReady?: () => boolean;
  /** Pages and browser code (the SMART app at /app/, the development EHR simulator at /), tried before the 404. */
  readonly pages?: readonly Router[];
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
        path: req.path,
        status: res.statusCode,
        ms: Math.round((performance.now() - start) * 10) / 10,
      };
      if (locals.cdsService) line.cdsService = locals.cdsService;
      if (locals.iss) line.iss = locals.iss;
      if (locals.hook) line.hook = locals.hook;
      if (locals.feedback) line.feedback = locals.feedback;
      if (locals.reason) line.reason = locals.reason;
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

  const json = express.json({
    limit: deps.maxBodyBytes,
    type: ['application/json', 'application/*+json'],
    strict: true,
  });
  const caller = async (req: Request, res: Response): Promise<Caller> => {
    const base = deps.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? ''}`;
    return deps.authenticate({ authorization: req.get('authorization'), url: `${base}${req.originalUrl.split('?')[0]}` })
      .then((c) => {
        res.locals.iss = c.issuer?.iss;
        return c;
      });
  };

  // An app URL given as a path (the embedded app, development) becomes absolute on the service's own base URL.
  const relativeApp = deps.hook.questionnaireAppUrl?.startsWith('/') === true;
  const depsByBase = new Map<string, HookDeps>();
  const hookDepsFor = (req: Request): HookDeps => {
    if (!relativeApp) return deps.hook;
    const base = deps.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? ''}`;
    let found = depsByBase.get(base);
    if (!found) {
      // Bounded: the Host header is the caller's to choose.
      if (depsByBase.size >= 16) depsByBase.clear();
      found = { ...deps.hook, questionnaireAppUrl: `${base}${deps.hook.questionnaireAppUrl}` };
      depsByBase.set(base, found);
    }
    return found;
  };

  app.get('/cds-services', async (req, res) => {
    await caller(req, res);
    const lang = pickLanguage(req.get('accept-language'), deps.defaultLanguage);
    res.setHeader('Content-Language', lang);
    res.json(discoveryDocument(lang));
  });

  app.post('/cds-services/:id', json, async (req, res) => {
    const who = await caller(req, res);
    const body = bodyOf(req);
    const lang = pickLanguage(req.get('accept-language'), deps.defaultLanguage);
    const result = await handleHook({ serviceId: String(req.params.id), body, lang, caller: who }, hookDepsFor(req));
    // Named only once known: the path is caller input, the log's `path` already carries it as sent.
    res.locals.cdsService = String(req.params.id);
    res.locals.hook = result.log;
    if (result.log.unknownPatient) warnUnknownPatient(deps.logger, res.locals.requestId as string, result.log);
    res.setHeader('Content-Language', lang);
    res.json({ cards: result.cards });
  });

  app.post('/cds-services/:id/feedback', json, async (req, res) => {
    await caller(req, res);
    const result = handleFeedback(String(req.params.id), bodyOf(req), deps.store, new Date().toISOString());
    res.locals.cdsService = String(req.params.id);
    res.locals.feedback = result;
    res.json({});
  });

  for (const pages of deps.pages ?? []) app.use(pages);
  answerWrongMethods(app);
  app.use((req, _res, next) => next(new UnknownServiceError(req.path)));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const translated = translateBodyParserError(error);
    const mapped = toOperationOutcome(translated);
    if (mapped.status >= 500) deps.logger.error({ error: errorForLog(error), requestId: res.locals.requestId }, 'unexpected error');
    else if (translated !== error) {
      // Never the parser's own message: JSON.parse quotes the body around the error ("...\"Sørensen\", ..."),
      // and the body is patient data. Its kind is enough to tell what went wrong.
      const e = error as { type?: unknown; code?: unknown; name?: unknown };
      res.locals.reason = `unreadable request: ${String(e.type ?? e.code ?? e.name ?? 'unknown')}`;
    } else res.locals.reason = (error as { reason?: string }).reason ?? (error as Error).message;
    if (translated instanceof MethodNotAllowedError) res.setHeader('Allow', translated.allow.join(', '));
    res.status(mapped.status).type('application/fhir+json').send(JSON.stringify(mapped.body));
    void req;
  });

  return app;
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
