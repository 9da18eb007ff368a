import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFhirReader,
  FhirHttpError,
  FhirNetworkError,
  FhirReadError,
  FhirResponseShapeError,
  FhirResponseTooLargeError,
  FhirTimeoutError,
  isFhirHttpError,
  isFhirReadError,
  isFhirTimeoutError,
} from '../../../src/fhir/reader/fhir-reader.js';
import {
  encounter,
  searchset,
  startMisbehavingFhirServer,
  type Misbehaviour,
  type MisbehavingFhirServer,
} from '../../support/misbehaving-fhir-server.js';

const TOKEN = 'failure-test-token-9a2e';
const DEADLINE_MS = 300;
const QUERY = 'Encounter?patient=p1&_count=200';

let fhir: MisbehavingFhirServer;
beforeEach(async () => {
  fhir = await startMisbehavingFhirServer();
});
afterEach(async () => {
  await fhir.close();
});

/** Runs one search against a deadline; returns what it threw and how long that took. */
async function failingSearch(deadlineMs = DEADLINE_MS, fhirServer = fhir.url) {
  const reader = createFhirReader({ fhirServer, accessToken: TOKEN, signal: AbortSignal.timeout(deadlineMs) });
  const started = performance.now();
  const error = await reader.search(QUERY).then(() => undefined, (e: unknown) => e);
  return { error, elapsed: performance.now() - started };
}

function expectNoTokenIn(error: unknown): void {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    expect(e.message).not.toContain(TOKEN);
    expect(String(e.stack)).not.toContain(TOKEN);
  }
  expect(JSON.stringify(error)).not.toContain(TOKEN);
}

const cases: Array<[string, Misbehaviour, new (...args: never[]) => FhirReadError, Record<string, unknown>?]> = [
  ['a 500', { kind: 'status', status: 500 }, FhirHttpError, { status: 500 }],
  ['a 401', { kind: 'status', status: 401 }, FhirHttpError, { status: 401 }],
  ['a 403', { kind: 'status', status: 403 }, FhirHttpError, { status: 403 }],
  ['a 404', { kind: 'status', status: 404 }, FhirHttpError, { status: 404 }],
  ['a 429 with Retry-After', { kind: 'status', status: 429, retryAfterSeconds: 7 }, FhirHttpError,
    { status: 429, retryAfterSeconds: 7 }],
  ['a 200 text/html page', { kind: 'html' }, FhirResponseShapeError],
  ['truncated JSON', { kind: 'truncated-json' }, FhirResponseShapeError],
  ['a connection dropped mid-body', { kind: 'drop-connection' }, FhirNetworkError],
  ['a 301 redirect', { kind: 'redirect', location: 'http://127.0.0.1:9/fhir/Encounter', status: 301 }, FhirHttpError,
    { status: 301 }],
  ['a JSON array', { kind: 'raw', body: '[]' }, FhirResponseShapeError],
  ['a JSON string', { kind: 'raw', body: '"ok"' }, FhirResponseShapeError],
  ['an empty body', { kind: 'raw', body: '' }, FhirResponseShapeError],
  ['an OperationOutcome with 200', { kind: 'raw', body: '{"resourceType":"OperationOutcome","issue":[]}' },
    FhirResponseShapeError],
  ['a Patient instead of a Bundle', { kind: 'raw', body: '{"resourceType":"Patient","id":"p1"}' },
    FhirResponseShapeError],
  ['a Bundle with a number for an entry', { kind: 'raw', body: '{"resourceType":"Bundle","entry":[1]}' },
    FhirResponseShapeError],
  ['a Bundle entry without a resource', { kind: 'raw', body: '{"resourceType":"Bundle","entry":[{"fullUrl":"x"}]}' },
    FhirResponseShapeError],
  ['a Bundle whose entry is not a list', { kind: 'raw', body: '{"resourceType":"Bundle","entry":{}}' },
    FhirResponseShapeError],
  ['JSON sent as application/octet-stream',
    { kind: 'raw', body: JSON.stringify(searchset([])), contentType: 'application/octet-stream' },
    FhirResponseShapeError],
];

describe('a FHIR reader facing a misbehaving server', () => {
  it.each(cases)('turns %s into its typed error well before the deadline', async (_label, misbehaviour, type, fields) => {
    fhir.misbehave(QUERY, misbehaviour);
    const { error, elapsed } = await failingSearch();
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(FhirReadError);
    if (fields) expect(error).toMatchObject(fields);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 100);
    expectNoTokenIn(error);
  });

  it('aborts a server slower than the deadline with FhirTimeoutError within 100 ms of it', async () => {
    fhir.serve(QUERY, searchset([encounter('e1', 'p1')]), { delayMs: 3_000 });
    const { error, elapsed } = await failingSearch();
    expect(error).toBeInstanceOf(FhirTimeoutError);
    expect(isFhirTimeoutError(error)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 100);
    expectNoTokenIn(error);
  });

  it('bounds a connection dropped inside a Content-Length body by the deadline', async () => {
    // node-fetch 2 does not notice this drop (it pipes the socket without its errors): the deadline is the bound.
    fhir.misbehave(QUERY, { kind: 'drop-connection', framing: 'content-length' });
    const { error, elapsed } = await failingSearch();
    expect(error).toBeInstanceOf(FhirTimeoutError);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 100);
  });

  it('aborts a server that stalls halfway through the body at the deadline', async () => {
    fhir.misbehave(QUERY, { kind: 'stall-body', delayMs: 3_000 });
    const { error, elapsed } = await failingSearch();
    expect(error).toBeInstanceOf(FhirTimeoutError);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 100);
  });

  it('aborts a slow second page at the same deadline as the first', async () => {
    fhir.serve(QUERY, searchset([encounter('e1', 'p1')], { next: fhir.urlOf('Encounter?page=2') }));
    fhir.serve('Encounter?page=2', searchset([encounter('e2', 'p1')]), { delayMs: 3_000 });
    const { error, elapsed } = await failingSearch();
    expect(error).toBeInstanceOf(FhirTimeoutError);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 100);
  });

  it('fails a later page that errors instead of returning the pages before it as if complete', async () => {
    fhir.serve(QUERY, searchset([encounter('e1', 'p1')], { next: fhir.urlOf('Encounter?page=2') }));
    fhir.misbehave('Encounter?page=2', { kind: 'status', status: 500 });
    const { error } = await failingSearch();
    expect(isFhirHttpError(error) && error.status).toBe(500);
  });

  it('sends nothing once the deadline has already passed', async () => {
    fhir.serve(QUERY, searchset([]));
    const controller = new AbortController();
    controller.abort();
    const reader = createFhirReader({ fhirServer: fhir.url, accessToken: TOKEN, signal: controller.signal });
    await expect(reader.search(QUERY)).rejects.toBeInstanceOf(FhirTimeoutError);
    expect(reader.requests).toBe(0);
    expect(fhir.requests).toEqual([]);
  });

  it('reports a refused connection as FhirNetworkError with its code', async () => {
    const gone = await startMisbehavingFhirServer();
    await gone.close();
    const { error, elapsed } = await failingSearch(DEADLINE_MS, gone.url);
    expect(error).toBeInstanceOf(FhirNetworkError);
    expect((error as FhirNetworkError).code).toBe('ECONNREFUSED');
    expect(elapsed).toBeLessThan(DEADLINE_MS + 100);
    expectNoTokenIn(error);
  });

  it('refuses a 20 MB Bundle at the byte bound instead of parsing it', async () => {
    fhir.misbehave(QUERY, { kind: 'huge', bytes: 20 * 1024 * 1024 });
    const { error, elapsed } = await failingSearch(5_000);
    expect(error).toBeInstanceOf(FhirResponseTooLargeError);
    expect((error as FhirResponseTooLargeError).maxBytes).toBe(10 * 1024 * 1024);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('reads a large Bundle that fits under a raised byte bound', async () => {
    fhir.misbehave(QUERY, { kind: 'huge', bytes: 2 * 1024 * 1024 });
    const reader = createFhirReader({
      fhirServer: fhir.url, signal: AbortSignal.timeout(5_000), maxResponseBytes: 4 * 1024 * 1024, maxResources: 100_000,
    });
    const result = await reader.search(QUERY);
    expect(result.resources.length).toBeGreaterThan(1000);
    expect(result.truncated).toBe(false);
  });

  it('rejects a resource read that answers with another resource type or id', async () => {
    fhir.serve('Patient/p1', { resourceType: 'Patient', id: 'p2' });
    fhir.serve('Patient/p3', { resourceType: 'Practitioner', id: 'p3' });
    const reader = createFhirReader({ fhirServer: fhir.url, signal: AbortSignal.timeout(DEADLINE_MS) });
    await expect(reader.read('Patient', 'p1')).rejects.toBeInstanceOf(FhirResponseShapeError);
    await expect(reader.read('Patient', 'p3')).rejects.toBeInstanceOf(FhirResponseShapeError);
  });

  it('keeps fhirclient\'s own error as the cause of an HTTP error', async () => {
    fhir.misbehave(QUERY, { kind: 'status', status: 503 });
    const { error } = await failingSearch();
    expect(isFhirReadError(error)).toBe(true);
    expect((error as Error).cause).toMatchObject({ name: 'HttpError', status: 503 });
    expect((error as Error).name).toBe('FhirHttpError');
  });
});
