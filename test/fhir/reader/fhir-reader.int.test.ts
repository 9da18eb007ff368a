import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle, OperationOutcome, Patient } from 'fhir/r4.js';
import {
  createFhirReader,
  FhirForbiddenOriginError,
  FhirHttpError,
  FhirInvalidQueryError,
  FHIR_READER_DEFAULTS,
  type FhirReaderOptions,
} from '../../../src/fhir/reader/fhir-reader.js';
import {
  encounter,
  searchset,
  startMisbehavingFhirServer,
  type MisbehavingFhirServer,
} from '../../support/misbehaving-fhir-server.js';

const TOKEN = 'reader-test-token-5f1c';
const encounters = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => encounter(`e${from + i}`, 'p1'));

let fhir: MisbehavingFhirServer;
let otherHost: MisbehavingFhirServer;

beforeAll(async () => {
  otherHost = await startMisbehavingFhirServer();
});
afterAll(async () => {
  await otherHost.close();
});
beforeEach(async () => {
  fhir = await startMisbehavingFhirServer();
});
afterEach(async () => {
  await fhir.close();
  expect(otherHost.requests).toEqual([]);
});

function reader(options: Partial<FhirReaderOptions> = {}) {
  return createFhirReader({
    fhirServer: fhir.url,
    accessToken: TOKEN,
    signal: AbortSignal.timeout(5_000),
    ...options,
  });
}

describe('the FHIR reader', () => {
  it('sends the bearer token on every request, next pages included', async () => {
    fhir.servePages('Encounter?patient=p1&_count=2', [encounters(1, 2), encounters(3, 2), encounters(5, 1)]);
    const r = reader();
    const result = await r.search('Encounter?patient=p1&_count=2');
    expect(result.resources.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(result).toMatchObject({ pages: 3, truncated: false, notes: [] });
    expect(r.requests).toBe(3);
    expect(fhir.requests.map((q) => q.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('sends no Authorization header when the request carried no token', async () => {
    fhir.serve('Encounter?patient=p1', searchset(encounters(1, 1)));
    await reader({ accessToken: undefined }).search('Encounter?patient=p1');
    expect(fhir.requests).toHaveLength(1);
    expect(fhir.requests[0]?.authorization).toBeUndefined();
  });

  it('resolves queries under a base path with or without a trailing slash', async () => {
    fhir.serve('Encounter?patient=p1', searchset(encounters(1, 1)));
    const result = await reader({ fhirServer: `${fhir.url}/` }).search('Encounter?patient=p1');
    expect(result.resources).toHaveLength(1);
    expect(fhir.requests[0]?.url).toBe('/fhir/Encounter?patient=p1');
  });

  it('reads one resource by type and id', async () => {
    fhir.serve('Patient/p1', { resourceType: 'Patient', id: 'p1' });
    const patient = await reader().read<Patient>('Patient', 'p1');
    expect(patient).toEqual({ resourceType: 'Patient', id: 'p1' });
    expect(fhir.requests[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('refuses an id that would move the request off the resource path, without sending anything', async () => {
    const r = reader();
    for (const id of ['..', '../Observation', 'p1?x=1', 'p1/_history', '']) {
      await expect(r.read('Patient', id)).rejects.toBeInstanceOf(FhirInvalidQueryError);
    }
    await expect(r.read('../Patient', 'p1')).rejects.toBeInstanceOf(FhirInvalidQueryError);
    expect(r.requests).toBe(0);
    expect(fhir.requests).toEqual([]);
  });

  it('stops after maxPages pages and says the result is truncated', async () => {
    fhir.servePages('Encounter?patient=p1', [encounters(1, 1), encounters(2, 1), encounters(3, 1), encounters(4, 1)]);
    const r = reader({ maxPages: 2 });
    const result = await r.search('Encounter?patient=p1');
    expect(result.resources.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(result.pages).toBe(2);
    expect(result.truncated).toBe(true);
    expect(result.notes.join(' ')).toMatch(/2 pages/);
    expect(r.requests).toBe(2);
  });

  it('follows FHIR_READER_DEFAULTS.maxPages pages by default and no more', async () => {
    const max = FHIR_READER_DEFAULTS.maxPages;
    const pages = Array.from({ length: max + 2 }, (_, i) => encounters(i + 1, 1));
    fhir.servePages('Encounter?patient=p1', pages);
    const result = await reader().search('Encounter?patient=p1');
    expect(result.pages).toBe(max);
    expect(result.truncated).toBe(true);
    expect(result.bound).toEqual({ kind: 'pages', limit: max });
    expect(fhir.requests).toHaveLength(max);
  });

  it('stops at maxResources without reading further pages', async () => {
    fhir.servePages('Encounter?patient=p1', [encounters(1, 2), encounters(3, 2), encounters(5, 2)]);
    const r = reader({ maxResources: 3 });
    const result = await r.search('Encounter?patient=p1');
    expect(result.resources.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(result.truncated).toBe(true);
    expect(r.requests).toBe(2);
  });

  it('is not truncated when the last page ends exactly at maxResources', async () => {
    fhir.servePages('Encounter?patient=p1', [encounters(1, 2), encounters(3, 2)]);
    const result = await reader({ maxResources: 4 }).search('Encounter?patient=p1');
    expect(result.resources).toHaveLength(4);
    expect(result.truncated).toBe(false);
  });

  it('detects a next link that loops back to an earlier page and stops there', async () => {
    fhir.serve('Encounter?patient=p1', searchset(encounters(1, 1), { next: fhir.urlOf('Encounter?patient=p1&page=2') }));
    fhir.serve('Encounter?patient=p1&page=2',
      searchset(encounters(2, 1), { next: fhir.urlOf('Encounter?patient=p1') }));
    const r = reader();
    const result = await r.search('Encounter?patient=p1');
    expect(result.resources.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(result.truncated).toBe(true);
    expect(result.notes.join(' ')).toMatch(/loops/);
    expect(r.requests).toBe(2);
  });

  it('detects a page whose next link is itself', async () => {
    fhir.serve('Encounter?patient=p1', searchset(encounters(1, 1), { next: fhir.urlOf('Encounter?patient=p1') }));
    const result = await reader().search('Encounter?patient=p1');
    expect(result).toMatchObject({ pages: 1, truncated: true });
    expect(fhir.requests).toHaveLength(1);
  });

  it('never contacts another host named by a next link, so the token never goes there', async () => {
    otherHost.serve('Encounter?page=2', searchset(encounters(9, 1)));
    fhir.serve('Encounter?patient=p1', searchset(encounters(1, 1), { next: otherHost.urlOf('Encounter?page=2') }));
    const result = await reader().search('Encounter?patient=p1');
    expect(result.resources.map((e) => e.id)).toEqual(['e1']);
    expect(result.truncated).toBe(true);
    expect(result.notes.join(' ')).toContain(otherHost.origin);
    expect(result.notes.join(' ')).not.toContain(TOKEN);
    // afterEach checks that otherHost saw no request at all
  });

  it('does not follow a next link on the same origin but outside the base path', async () => {
    fhir.serve('Encounter?patient=p1', searchset(encounters(1, 1), { next: `${fhir.origin}/admin/Encounter?page=2` }));
    const result = await reader().search('Encounter?patient=p1');
    expect(result.truncated).toBe(true);
    expect(fhir.requests).toHaveLength(1);
  });

  it('follows a HAPI-style next link that points at the base itself with a query', async () => {
    fhir.serve('Encounter?patient=p1', searchset(encounters(1, 1), { next: `${fhir.url}?_getpages=abc` }));
    fhir.serve('?_getpages=abc', searchset(encounters(2, 1)));
    // The misbehaving server keys the base's own path as the empty route.
    const result = await reader().search('Encounter?patient=p1');
    expect(result.resources.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(fhir.requests[1]).toMatchObject({ url: '/fhir?_getpages=abc', authorization: `Bearer ${TOKEN}` });
  });

  it('refuses an absolute query to another server without contacting it', async () => {
    const r = reader();
    await expect(r.search(otherHost.urlOf('Encounter?patient=p1'))).rejects.toBeInstanceOf(FhirForbiddenOriginError);
    await expect(r.search('/admin/Encounter')).rejects.toBeInstanceOf(FhirForbiddenOriginError);
    await expect(r.search('../Encounter')).rejects.toBeInstanceOf(FhirForbiddenOriginError);
    expect(r.requests).toBe(0);
  });

  it('refuses a redirect to another host instead of following it with the token', async () => {
    fhir.misbehave('Encounter?patient=p1', { kind: 'redirect', location: otherHost.urlOf('Encounter?patient=p1') });
    const error = await reader().search('Encounter?patient=p1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirHttpError);
    expect((error as FhirHttpError).status).toBe(302);
  });

  it('refuses a fhirServer that is not a plain http(s) base URL', () => {
    for (const fhirServer of ['ftp://x/fhir', 'not a url', 'http://user:pw@127.0.0.1/fhir', 'http://h/fhir?x=1']) {
      expect(() => reader({ fhirServer })).toThrow(FhirForbiddenOriginError);
    }
  });

  it('follows the next pages of a prefetched Bundle on the same server', async () => {
    fhir.serve('Encounter?patient=p1&page=2', searchset(encounters(2, 2)));
    const prefetched: Bundle = searchset(encounters(1, 1), { next: fhir.urlOf('Encounter?patient=p1&page=2') });
    const r = reader();
    const result = await r.followBundle(prefetched);
    expect(result.resources.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(result).toMatchObject({ pages: 2, truncated: false });
    expect(r.requests).toBe(1);
  });

  it('does not follow a prefetched Bundle whose next link names another host', async () => {
    const prefetched = searchset(encounters(1, 1), { next: otherHost.urlOf('Encounter?page=2') });
    const result = await reader().followBundle(prefetched);
    expect(result).toMatchObject({ pages: 1, truncated: true });
  });

  it('skips the server\'s search warnings and reports them as notes', async () => {
    const bundle = searchset(encounters(1, 1));
    const warning: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'warning', code: 'informational' }],
    };
    bundle.entry!.push({
      resource: warning,
      search: { mode: 'outcome' },
    });
    fhir.serve('Encounter?patient=p1', bundle);
    const result = await reader().search('Encounter?patient=p1');
    expect(result.resources.map((e) => e.resourceType)).toEqual(['Encounter']);
    expect(result.notes).toHaveLength(1);
  });

  it('runs searches side by side: six searches delayed 100 ms each take about 100 ms', async () => {
    for (let i = 0; i < 6; i += 1) fhir.serve(`Encounter?patient=p${i}`, searchset([]), { delayMs: 100 });
    const r = reader();
    const started = performance.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => r.search(`Encounter?patient=p${i}`)));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(350);
  });
});
