/**
 * An embedded FHIR R4 server: @medplum/fhir-router over an indexed in-memory repository, as an express Router that
 * can be mounted at any path. It plays "the EHR's FHIR server" in tests and in development mode.
 *
 * What fhir-router does not do and this adapter adds: /metadata, paging links, 400 for unknown search parameters,
 * bare-id patient references, large transaction loading with conditional references, validation of single-resource
 * writes, bearer-token checking, and an access log that never carries the token.
 */
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { FhirRouter } from '@medplum/fhir-router';
import type { FhirRequest, HttpMethod } from '@medplum/fhir-router';
import { OperationOutcomeError, getStatus, isOk, normalizeOperationOutcome, validateResource } from '@medplum/core';
import type { Bundle as MedplumBundle, Resource as MedplumResource } from '@medplum/fhirtypes';
import type { Bundle, OperationOutcome, Resource } from 'fhir/r4.js';
import { BundleLoadError, isLoadableBundle, loadBundle, loadResources } from './bundle-loader.js';
import type { LoadResult } from './bundle-loader.js';
import { buildCapabilityStatement } from './capability-statement.js';
import { ensureFhirDefinitions } from './fhir-definitions.js';
import { IndexedRepository } from './indexed-repository.js';
import { mergeOutcomes, operationOutcome } from './operation-outcome.js';
import { pagingLinks, prepareSearch } from './search-query.js';
import { errorAsOutcome, openCors, requireBearer, send } from './middleware.js';
import type { SmartAuthServer } from './smart/auth-server.js';
import { smartResourceGuard } from './smart/resource-guard.js';

export { FHIR_JSON } from './middleware.js';

/** One request as the server saw it. No query values (they can hold identifiers), never the token. */
export interface FhirAccessLog {
  readonly method: string;
  /** Path relative to the mount point, without the query string, e.g. '/Encounter'. */
  readonly path: string;
  /** Names of the query parameters, e.g. ['patient', '_count']. */
  readonly queryKeys: readonly string[];
  readonly status: number;
  readonly durationMs: number;
  readonly authorization: boolean;
}

export interface FhirServerOptions {
  readonly bundles?: readonly Bundle[];
  readonly resources?: readonly Resource[];
  readonly log?: (entry: FhirAccessLog) => void;
  /** When set, every request but /metadata needs `Authorization: Bearer <this>`, else 401. */
  readonly requireBearer?: string;
  /** Tests only: keep the Authorization header values in memory (`authorizations`). Never logged. */
  readonly recordAuthorization?: boolean;
  /** Answer CORS preflights and allow any origin. */
  readonly cors?: boolean;
  /** Unexpected errors (answered 500); default console.error. */
  readonly onError?: (error: unknown) => void;
  /** JSON body limit (default '50mb': transaction Bundles of whole patients). */
  readonly bodyLimit?: string;
  /**
   * The embedded SMART authorization server: served on this router (the issuer is the FHIR base), and writes then
   * need one of its access tokens.
   */
  readonly smart?: SmartAuthServer;
}

export interface FhirServerStats {
  readonly requests: number;
  /** Sum of the time from the request entering the router to the response being written, in ms. */
  readonly totalHandlerMs: number;
  readonly resources: number;
}

export interface FhirServer {
  readonly router: Router;
  readonly repository: IndexedRepository;
  load(bundle: Bundle): Promise<LoadResult>;
  loadResources(resources: readonly Resource[]): Promise<LoadResult>;
  stats(): FhirServerStats;
  resetStats(): void;
  /** Authorization header values seen, in order; filled only with `recordAuthorization: true`. */
  readonly authorizations: readonly string[];
}

export async function createFhirServer(options: FhirServerOptions = {}): Promise<FhirServer> {
  const resourceTypes = ensureFhirDefinitions();
  const repository = new IndexedRepository();
  const fhirRouter = new FhirRouter();
  const authorizations: string[] = [];
  let requests = 0;
  let totalHandlerMs = 0;

  const load = (bundle: Bundle): Promise<LoadResult> =>
    loadBundle(repository, bundle as unknown as MedplumBundle);
  const loadMany = (resources: readonly Resource[]): Promise<LoadResult> =>
    loadResources(repository, resources as unknown as MedplumResource[]);

  for (const bundle of options.bundles ?? []) {
    await load(bundle);
  }
  if (options.resources?.length) {
    await loadMany(options.resources);
  }

  const router = express.Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const path = req.path;
    const queryKeys = [...new Set(new URL(req.originalUrl, 'http://x').searchParams.keys())];
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      requests++;
      totalHandlerMs += durationMs;
      options.log?.({
        method: req.method,
        path,
        queryKeys,
        status: res.statusCode,
        durationMs,
        authorization: req.headers.authorization !== undefined,
      });
    });
    if (options.recordAuthorization && req.headers.authorization !== undefined) {
      authorizations.push(req.headers.authorization);
    }
    next();
  });

  if (options.cors) {
    router.use(openCors);
  }
  if (options.requireBearer !== undefined) {
    router.use(requireBearer(options.requireBearer));
  }

  const limit = options.bodyLimit ?? '50mb';
  router.use(express.json({ limit, type: ['application/json', 'application/fhir+json', 'application/*+json'] }));
  router.use(express.urlencoded({ extended: false, limit }));
  if (options.smart) {
    router.use(options.smart.router);
    router.use(smartResourceGuard(options.smart.signer));
  }

  router.use(async (req: Request, res: Response) => {
    const baseUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
    const segments = req.path.split('/').filter(Boolean);
    const method = req.method as HttpMethod;
    const first = segments[0];

    if (first === 'metadata' && segments.length === 1 && (method === 'GET' || method === 'HEAD')) {
      send(res, 200, buildCapabilityStatement(baseUrl, repository.resourceTypes(), Boolean(options.smart)));
      return;
    }
    if (first !== undefined && !resourceTypes.has(first)) {
      send(res, 404, operationOutcome('not-found', `Unknown resource type or endpoint "${first}"`));
      return;
    }
    const isSearch =
      first !== undefined &&
      ((method === 'GET' && segments.length === 1) ||
        (method === 'POST' && segments.length === 2 && segments[1] === '_search'));
    if (isSearch) {
      await search(req, res, first, baseUrl);
      return;
    }
    if (method === 'POST' && segments.length === 0) {
      await transaction(req, res);
      return;
    }
    if ((method === 'PUT' || method === 'POST') && first !== undefined && !isLenient(req)) {
      const problems = validate(req.body);
      if (problems) {
        send(res, 400, problems);
        return;
      }
    }
    await route(req, res, method, baseUrl);
  });

  router.use(errorAsOutcome(options.onError ?? ((error) => console.error('FHIR sandbox error', error))));

  async function search(req: Request, res: Response, resourceType: string, baseUrl: string): Promise<void> {
    const pairs = [...new URL(req.originalUrl, 'http://x').searchParams.entries()];
    if (req.method === 'POST' && req.body && typeof req.body === 'object' && !Array.isArray(req.body)) {
      for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          pairs.push([key, String(v)]);
        }
      }
    }
    const prepared = prepareSearch(resourceType, pairs);
    if (prepared.problems.length > 0 && !isLenient(req)) {
      send(
        res,
        400,
        mergeOutcomes(prepared.problems.map((p) => operationOutcome('not-supported', p.message, p.parameter))),
      );
      return;
    }
    const [outcome, result] = await fhirRouter.handleRequest(
      fhirRequest('GET', `/${resourceType}`, undefined, prepared.query, req),
      repository,
    );
    if (!isOk(outcome) || !result) {
      send(res, getStatus(outcome), outcome);
      return;
    }
    const bundle = result as unknown as Bundle;
    const typeUrl = `${baseUrl}/${resourceType}`;
    const answer: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: bundle.total ?? 0,
      link: pagingLinks(typeUrl, prepared, bundle.total ?? 0),
      entry: (bundle.entry ?? []).map((e) => ({
        fullUrl: `${typeUrl}/${e.resource?.id}`,
        resource: e.resource,
        search: { mode: 'match' },
      })),
    };
    if (prepared.problems.length > 0) {
      // Lenient: say which parameters were ignored, as HAPI does.
      answer.entry?.push({
        resource: mergeOutcomes(
          prepared.problems.map((p) => operationOutcome('not-supported', `Ignored: ${p.message}`, p.parameter, 'warning')),
        ),
        search: { mode: 'outcome' },
      });
    }
    send(res, 200, answer);
  }

  async function transaction(req: Request, res: Response): Promise<void> {
    const bundle = req.body as Bundle | undefined;
    if (bundle?.resourceType !== 'Bundle' || (bundle.type !== 'transaction' && bundle.type !== 'batch')) {
      send(res, 400, operationOutcome('invalid', 'POST to the base needs a transaction or batch Bundle'));
      return;
    }
    if (isLoadableBundle(bundle as unknown as MedplumBundle)) {
      try {
        const result = await load(bundle);
        send(res, 200, { resourceType: 'Bundle', type: `${bundle.type}-response`, entry: [...result.responses] } as Bundle);
      } catch (err) {
        if (!(err instanceof BundleLoadError)) {
          throw err;
        }
        send(res, 400, operationOutcome('invalid', err.message));
      }
      return;
    }
    const [outcome, result] = await fhirRouter.handleRequest(fhirRequest('POST', '/', bundle, {}, req), repository);
    send(res, getStatus(outcome), result ?? outcome);
  }

  async function route(req: Request, res: Response, method: HttpMethod, baseUrl: string): Promise<void> {
    const query = Object.fromEntries(new URL(req.originalUrl, 'http://x').searchParams.entries());
    const [type, id, more] = req.path.split('/').filter(Boolean);
    // fhir-router answers 200 to an update that creates; HTTP says 201 (update as create).
    const creates =
      method === 'PUT' && type && id && !more ? !(await repository.readResource(type, id).then(() => true, () => false)) : false;
    const [outcome, resource] = await fhirRouter.handleRequest(
      fhirRequest(method, req.path, req.body, query, req),
      repository,
    );
    const status = creates && getStatus(outcome) === 200 ? 201 : getStatus(outcome);
    if (resource) {
      const meta = (resource as { meta?: { versionId?: string } }).meta;
      if (meta?.versionId) {
        res.setHeader('ETag', `W/"${meta.versionId}"`);
      }
      if (status === 201 && resource.id) {
        res.setHeader('Location', `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${meta?.versionId}`);
      }
    }
    send(res, status, resource ?? outcome);
  }

  return {
    router,
    repository,
    load,
    loadResources: loadMany,
    stats: () => ({ requests, totalHandlerMs, resources: repository.count() }),
    resetStats: () => {
      requests = 0;
      totalHandlerMs = 0;
    },
    authorizations,
  };
}

function fhirRequest(
  method: HttpMethod,
  url: string,
  body: unknown,
  query: Record<string, string | string[]>,
  req: Request,
): FhirRequest {
  // pathname must be empty: fhir-router derives it from url. Transactions are not atomic (see bundle-loader).
  return { method, url, pathname: '', body, params: {}, query, headers: req.headers, config: { transactions: false } };
}

function isLenient(req: Request): boolean {
  return /handling\s*=\s*lenient/i.test(String(req.headers.prefer ?? ''));
}

/** Structural validation of a single resource write with @medplum/core's validator; undefined when valid. */
function validate(body: unknown): OperationOutcome | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !(body as Resource).resourceType) {
    return operationOutcome('invalid', 'The body must be a FHIR resource (application/fhir+json)');
  }
  try {
    const issues = validateResource(body as MedplumResource).filter((i) => i.severity === 'error');
    return issues.length ? ({ resourceType: 'OperationOutcome', issue: issues } as OperationOutcome) : undefined;
  } catch (err) {
    const outcome = err instanceof OperationOutcomeError ? err.outcome : normalizeOperationOutcome(err);
    return outcome as unknown as OperationOutcome;
  }
}
