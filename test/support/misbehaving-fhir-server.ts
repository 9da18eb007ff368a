/**
 * A real FHIR HTTP server for fault-injection tests. It serves the Bundles and resources a test gives it and can be
 * told, per path, to misbehave the way real EHR servers do: error statuses, HTML, truncated JSON, dropped
 * connections, slowness, redirects, huge bodies. It records every request with its Authorization header (only
 * tests ever see it), so a second instance on another port doubles as "another host" that must never be
 * contacted and never receive the token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Encounter, Resource } from 'fhir/r4.js';

export type Misbehaviour =
  /** Any status with an OperationOutcome body (401, 403, 404, 429, 500...). */
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** 200 text/html, as a login page or a proxy's error page would. */
  | { kind: 'html' }
  /** 200 application/fhir+json whose body stops halfway; the HTTP framing itself is correct. */
  | { kind: 'truncated-json' }
  /**
   * 200 with headers and part of the body, then the socket is destroyed. `framing` 'chunked' (default) or
   * 'content-length': node-fetch 2 (under fhirclient) notices the first at once but waits on the second until the
   * caller's deadline aborts it.
   */
  | { kind: 'drop-connection'; framing?: 'chunked' | 'content-length' }
  /** Headers at once, the body only after `delayMs` (a server that stalls mid-answer). */
  | { kind: 'stall-body'; delayMs: number }
  /** A 3xx to `location` (absolute, typically another server's URL). */
  | { kind: 'redirect'; location: string; status?: number }
  /** 200 with a valid searchset Bundle of about `bytes` bytes, streamed in chunks. */
  | { kind: 'huge'; bytes: number }
  /** 200 application/fhir+json with this exact body text (wrong shapes: arrays, strings, bad entries...). */
  | { kind: 'raw'; body: string; contentType?: string };

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as requested. */
  readonly url: string;
  readonly authorization: string | undefined;
}

export interface ServeOptions {
  /** Wait this long before answering (whatever the answer). */
  delayMs?: number;
}

export interface MisbehavingFhirServer {
  /** The FHIR base URL, e.g. http://127.0.0.1:41234/fhir (no trailing slash). */
  readonly url: string;
  readonly origin: string;
  readonly requests: readonly RecordedRequest[];
  /** Serves `body` as application/fhir+json at `route`: a path relative to the base, with or without a query. */
  serve(route: string, body: unknown, options?: ServeOptions): void;
  misbehave(route: string, misbehaviour: Misbehaviour, options?: ServeOptions): void;
  /**
   * Serves `pages` as a chain of searchset Bundles: the first at `route`, the others at `{route}&page=N`
   * (`?page=N` without a query), each linking the next with an absolute URL on this server.
   * Returns the routes of all pages.
   */
  servePages(route: string, pages: readonly Resource[][], options?: ServeOptions): string[];
  /** Absolute URL of a route on this server. */
  urlOf(route: string): string;
  close(): Promise<void>;
}

interface Route {
  readonly answer: { kind: 'json'; body: unknown } | Misbehaviour;
  readonly delayMs: number;
}

export function searchset(resources: readonly Resource[], links: { next?: string; self?: string } = {}): Bundle {
  const link = [
    ...(links.self ? [{ relation: 'self', url: links.self }] : []),
    ...(links.next ? [{ relation: 'next', url: links.next }] : []),
  ];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(link.length > 0 ? { link } : {}),
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' as const } })),
  };
}

/** A minimal Encounter of a patient; tests give another patient's id to check who filters it. */
export function encounter(id: string, patientId: string): Encounter {
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${patientId}` },
    period: { start: '2025-06-02T09:00:00+02:00' },
  };
}

export async function startMisbehavingFhirServer(options: { basePath?: string } = {}):
  Promise<MisbehavingFhirServer> {
  const basePath = (options.basePath ?? '/fhir').replace(/\/+$/, '');
  const routes = new Map<string, Route>();
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    const route = findRoute(req, basePath, routes);
    if (!route) {
      sendJson(res, 404, outcome('not-found', 'no such route on the test server'));
      return;
    }
    const timer = setTimeout(() => answer(res, route, basePath), route.delayMs);
    // A client that gives up (its deadline) must not leave a timer writing to a dead socket.
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}${basePath}`;
  const urlOf = (route: string): string => `${url}/${route.replace(/^\/+/, '')}`;

  return {
    url,
    origin,
    requests,
    urlOf,
    serve(route, body, serveOptions) {
      routes.set(normalise(route), { answer: { kind: 'json', body }, delayMs: serveOptions?.delayMs ?? 0 });
    },
    misbehave(route, misbehaviour, serveOptions) {
      routes.set(normalise(route), { answer: misbehaviour, delayMs: serveOptions?.delayMs ?? 0 });
    },
    servePages(route, pages, serveOptions) {
      const separator = route.includes('?') ? '&' : '?';
      const pageRoutes = pages.map((_, index) => (index === 0 ? route : `${route}${separator}page=${index + 1}`));
      pages.forEach((resources, index) => {
        const next = pageRoutes[index + 1];
        const body = searchset(resources, { self: urlOf(pageRoutes[index]!), ...(next ? { next: urlOf(next) } : {}) });
        routes.set(normalise(pageRoutes[index]!), { answer: { kind: 'json', body }, delayMs: serveOptions?.delayMs ?? 0 });
      });
      return pageRoutes;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function normalise(route: string): string {
  return route.replace(/^\/+/, '');
}

function findRoute(req: IncomingMessage, basePath: string, routes: Map<string, Route>): Route | undefined {
  const requested = new URL(req.url ?? '/', 'http://test');
  if (requested.pathname !== basePath && !requested.pathname.startsWith(`${basePath}/`)) return undefined;
  const path = requested.pathname.slice(basePath.length + 1);
  return routes.get(`${path}${requested.search}`) ?? routes.get(path);
}

function outcome(code: string, text: string): Resource {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, diagnostics: text }],
  } as Resource;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/fhir+json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function answer(res: ServerResponse, route: Route, basePath: string): void {
  const a = route.answer;
  switch (a.kind) {
    case 'json':
      sendJson(res, 200, a.body);
      return;
    case 'status':
      sendJson(res, a.status, outcome('exception', `misbehaving with ${a.status}`),
        a.retryAfterSeconds !== undefined ? { 'retry-after': String(a.retryAfterSeconds) } : {});
      return;
    case 'html': {
      const html = '<!doctype html><html><body><h1>Log ind</h1></body></html>';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    case 'truncated-json': {
      const text = JSON.stringify(searchset([encounter('e1', 'p1'), encounter('e2', 'p1')]));
      const cut = text.slice(0, Math.floor(text.length / 2));
      res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(cut) });
      res.end(cut);
      return;
    }
    case 'drop-connection': {
      const text = JSON.stringify(searchset([encounter('e1', 'p1')]));
      res.writeHead(200, {
        'content-type': 'application/fhir+json',
        ...(a.framing === 'content-length' ? { 'content-length': Buffer.byteLength(text) } : {}),
      });
      res.write(text.slice(0, 20));
      setTimeout(() => res.socket?.destroy(), 10);
      return;
    }
    case 'stall-body': {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.write('{"resourceType":"Bundle",');
      const timer = setTimeout(() => res.end('"type":"searchset"}'), a.delayMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case 'redirect':
      res.writeHead(a.status ?? 302, { location: a.location, 'content-type': 'text/plain' });
      res.end('moved');
      return;
    case 'huge':
      streamHugeBundle(res, a.bytes, basePath);
      return;
    case 'raw':
      res.writeHead(200, { 'content-type': a.contentType ?? 'application/fhir+json' });
      res.end(a.body);
      return;
  }
}

/** Streams a valid Bundle of about `bytes` bytes, chunk by chunk, stopping if the client hangs up. */
function streamHugeBundle(res: ServerResponse, bytes: number, basePath: string): void {
  res.writeHead(200, { 'content-type': 'application/fhir+json' });
  res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
  const entry = JSON.stringify({ resource: encounter('e', 'p1'), fullUrl: `${basePath}/Encounter/e` });
  let written = 0;
  let first = true;
  const writeMore = (): void => {
    while (written < bytes && !res.destroyed) {
      const chunk = Array.from({ length: 100 }, () => entry).join(',');
      written += chunk.length + 1;
      const ok = res.write(`${first ? '' : ','}${chunk}`);
      first = false;
      if (!ok) {
        res.once('drain', writeMore);
        return;
      }
    }
    if (!res.destroyed) res.end(']}');
  };
  writeMore();
}
