import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Resource } from 'fhir/r4.js';
import { createFhirReader, type FhirReaderOptions } from '../../../src/fhir/reader/fhir-reader.js';
import { startFhirServer, type RunningFhirServer } from '../../../src/sandbox/start-fhir-server.js';
import { startLatencyProxy, type LatencyProxy } from '../../support/latency-proxy.js';
import { countWaves } from '../../../bench/lib/waves.js';
import { day, encounter, patient } from '../../sandbox/fixtures.js';
import { searchset, startMisbehavingFhirServer, encounter as bareEncounter } from '../../support/misbehaving-fhir-server.js';

/** The real embedded FHIR server behind a proxy that holds each request, so parallel requests show as one wave. */
const ENCOUNTERS = 1234;
const DELAY_MS = 30;
let fhir: RunningFhirServer;
let proxy: LatencyProxy;

beforeAll(async () => {
  const resources: Resource[] = [patient('p1')];
  for (let i = 0; i < ENCOUNTERS; i++) resources.push(encounter(`p1-e${String(i).padStart(4, '0')}`, 'p1', day(i % 3000)));
  fhir = await startFhirServer({ resources });
  proxy = await startLatencyProxy(fhir.url, DELAY_MS);
});
afterAll(async () => {
  await proxy.close();
  await fhir.close();
});
beforeEach(() => {
  proxy.requests.length = 0;
});

function reader(options: Partial<FhirReaderOptions> = {}) {
  return createFhirReader({ fhirServer: `${proxy.origin}/fhir`, signal: AbortSignal.timeout(10_000), ...options });
}

describe('paging a long history from a server that pages by offset', () => {
  it('reads every page after the first in one parallel wave, in order, without a duplicate', async () => {
    const r = reader();
    const result = await r.search('Encounter?patient=p1&_count=200');
    expect(result.truncated).toBe(false);
    expect(result.resources).toHaveLength(ENCOUNTERS);
    const ids = result.resources.map((e) => e.id);
    expect(new Set(ids).size).toBe(ENCOUNTERS);
    expect(ids).toEqual([...ids].sort());
    expect(result.pages).toBe(Math.ceil(ENCOUNTERS / 200));
    expect(r.requests).toBe(result.pages);
    expect(countWaves(proxy.requests)).toBe(2);
    expect(proxy.requests.slice(1).map((q) => new URL(q.url, proxy.origin).searchParams.get('_offset')))
      .toEqual(['200', '400', '600', '800', '1000', '1200']);
  });

  it('asks for large pages when given a page size, so a long history is one round trip', async () => {
    const result = await reader({ pageSize: 1000 }).search('Encounter?patient=p1&_count=200');
    expect(result.resources).toHaveLength(ENCOUNTERS);
    expect(result.pages).toBe(2);
    expect(new URL(proxy.requests[0]!.url, proxy.origin).searchParams.get('_count')).toBe('1000');
    expect(countWaves(proxy.requests)).toBe(2);
  });

  it('keeps the other search parameters exactly as they were when it raises _count', async () => {
    await reader({ pageSize: 1000 }).search('Encounter?patient=p1&date=ge2024-01-01&_count=10');
    expect(proxy.requests[0]!.url).toBe('/fhir/Encounter?patient=p1&date=ge2024-01-01&_count=1000');
  });

  it('stops before reading anything more when total says the search is over maxResources', async () => {
    const r = reader({ maxResources: 1000 });
    const result = await r.search('Encounter?patient=p1&_count=200');
    expect(result.truncated).toBe(true);
    expect(result.bound).toEqual({ kind: 'resources', limit: 1000, found: ENCOUNTERS });
    expect(r.requests).toBe(1);
  });

  it('stops before reading anything more when the pages needed are more than maxPages', async () => {
    const r = reader({ maxPages: 4 });
    const result = await r.search('Encounter?patient=p1&_count=200');
    expect(result.truncated).toBe(true);
    expect(result.bound).toEqual({ kind: 'pages', limit: 4, found: 7 });
    expect(r.requests).toBe(1);
  });
});

describe('servers that do not page by offset', () => {
  it('follows next links one by one when the first page states no total', async () => {
    const server = await startMisbehavingFhirServer();
    try {
      server.servePages('Encounter?patient=p1', [[bareEncounter('a', 'p1')], [bareEncounter('b', 'p1')], [bareEncounter('c', 'p1')]]);
      const result = await createFhirReader({ fhirServer: server.url, signal: AbortSignal.timeout(5_000) })
        .search('Encounter?patient=p1');
      expect(result.resources.map((e) => e.id)).toEqual(['a', 'b', 'c']);
      expect(server.requests.map((q) => q.url)).toEqual([
        '/fhir/Encounter?patient=p1', '/fhir/Encounter?patient=p1&page=2', '/fhir/Encounter?patient=p1&page=3',
      ]);
    } finally {
      await server.close();
    }
  });

  it('never plans pages on another origin: an offset next link elsewhere is refused, not followed', async () => {
    const server = await startMisbehavingFhirServer();
    const elsewhere = await startMisbehavingFhirServer();
    try {
      server.serve('Encounter?patient=p1', {
        ...searchset([bareEncounter('a', 'p1')], { next: elsewhere.urlOf('Encounter?patient=p1&_count=1&_offset=1') }),
        total: 5,
      });
      const result = await createFhirReader({ fhirServer: server.url, signal: AbortSignal.timeout(5_000) })
        .search('Encounter?patient=p1');
      expect(result.truncated).toBe(true);
      expect(result.notes.join(' ')).toMatch(/outside the FHIR server/);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await server.close();
      await elsewhere.close();
    }
  });

  it('follows the last parallel page\'s next link when the server\'s total was short', async () => {
    const server = await startMisbehavingFhirServer();
    try {
      const page = (ids: string[], next?: string) => searchset(ids.map((id) => bareEncounter(id, 'p1')),
        next ? { next: server.urlOf(next) } : {});
      server.serve('Encounter?patient=p1', { ...page(['a', 'b'], 'Encounter?patient=p1&_count=2&_offset=2'), total: 4 });
      server.serve('Encounter?patient=p1&_count=2&_offset=2', page(['c', 'd'], 'Encounter?patient=p1&_count=2&_offset=4'));
      server.serve('Encounter?patient=p1&_count=2&_offset=4', page(['e']));
      const result = await createFhirReader({ fhirServer: server.url, signal: AbortSignal.timeout(5_000) })
        .search('Encounter?patient=p1');
      expect(result.resources.map((e) => e.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(result.truncated).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('the deadline timer', () => {
  it('is armed by the first request only: a reader that reads nothing never asks for a signal', () => {
    let asked = 0;
    const r = createFhirReader({ fhirServer: 'http://127.0.0.1:1/fhir', signal: () => { asked++; return AbortSignal.timeout(1_000); } });
    expect(r.requests).toBe(0);
    expect(asked).toBe(0);
  });
});
