import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePrefetch } from '../../src/fhir/prefetch.js';
import { createFhirReader, FhirHttpError, FhirTimeoutError } from '../../src/fhir/reader/fhir-reader.js';
import {
  encounter,
  searchset,
  startMisbehavingFhirServer,
  type MisbehavingFhirServer,
} from '../support/misbehaving-fhir-server.js';

const TOKEN = 'prefetch-test-token-31b7';
const context = { userId: 'Practitioner/pr-7', patientId: 'p1', encounterId: 'enc-1' };
const templates = {
  patient: 'Patient/{{context.patientId}}',
  encounters: 'Encounter?patient={{context.patientId}}&_count=200',
};

let fhir: MisbehavingFhirServer;
beforeEach(async () => {
  fhir = await startMisbehavingFhirServer();
  fhir.serve('Patient/p1', { resourceType: 'Patient', id: 'p1' });
  fhir.serve('Encounter?patient=p1&_count=200', searchset([encounter('e1', 'p1'), encounter('e2', 'p1')]));
});
afterEach(async () => {
  await fhir.close();
});

const reader = (deadlineMs = 5_000) =>
  createFhirReader({ fhirServer: fhir.url, accessToken: TOKEN, signal: AbortSignal.timeout(deadlineMs) });

const ids = (outcome: unknown) =>
  (outcome as { resources?: Array<{ id?: string }> }).resources?.map((r) => r.id);

describe('resolvePrefetch with a FHIR server', () => {
  it('fetches absent keys itself: a read template by read, a search template by search', async () => {
    const r = reader();
    const outcomes = await resolvePrefetch({ templates, prefetch: {}, context, reader: r });
    expect(outcomes.patient).toMatchObject({ status: 'ok', source: 'fetched' });
    expect(ids(outcomes.patient)).toEqual(['p1']);
    expect(outcomes.encounters).toMatchObject({ status: 'ok', source: 'fetched', truncated: false });
    expect(ids(outcomes.encounters)).toEqual(['e1', 'e2']);
    expect(fhir.requests.map((q) => q.url).sort())
      .toEqual(['/fhir/Encounter?patient=p1&_count=200', '/fhir/Patient/p1']);
    expect(fhir.requests.every((q) => q.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('fetches a key whose prefetch the EHR reported as an OperationOutcome, or sent as a string', async () => {
    const outcomes = await resolvePrefetch({
      templates,
      prefetch: { patient: 'oops', encounters: { resourceType: 'OperationOutcome', issue: [] } },
      context,
      reader: reader(),
    });
    expect(outcomes.patient).toMatchObject({ status: 'ok', source: 'fetched' });
    expect(outcomes.encounters).toMatchObject({ status: 'ok', source: 'fetched' });
    expect(fhir.requests).toHaveLength(2);
  });

  it('uses what the EHR prefetched without asking the server', async () => {
    const outcomes = await resolvePrefetch({
      templates,
      prefetch: { patient: { resourceType: 'Patient', id: 'p1' }, encounters: null },
      context,
      reader: reader(),
    });
    expect(outcomes.patient).toMatchObject({ status: 'ok', source: 'prefetch' });
    expect(outcomes.encounters).toEqual({ status: 'none' });
    expect(fhir.requests).toEqual([]);
  });

  it('follows the next pages of a paged prefetched Bundle', async () => {
    fhir.serve('Encounter?patient=p1&page=2', searchset([encounter('e2', 'p1')], {
      next: fhir.urlOf('Encounter?patient=p1&page=3'),
    }));
    fhir.serve('Encounter?patient=p1&page=3', searchset([encounter('e3', 'p1')]));
    const first = searchset([encounter('e1', 'p1')], { next: fhir.urlOf('Encounter?patient=p1&page=2') });
    const outcomes = await resolvePrefetch({
      templates: { encounters: templates.encounters }, prefetch: { encounters: first }, context, reader: reader(),
    });
    expect(outcomes.encounters).toMatchObject({ status: 'ok', source: 'prefetch', truncated: false });
    expect(ids(outcomes.encounters)).toEqual(['e1', 'e2', 'e3']);
    expect(fhir.requests.map((q) => q.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('reports a fetch that fails with the reader\'s typed error, and still answers the other keys', async () => {
    fhir.misbehave('Encounter?patient=p1&_count=200', { kind: 'status', status: 500 });
    const outcomes = await resolvePrefetch({ templates, prefetch: undefined, context, reader: reader() });
    expect(outcomes.encounters).toMatchObject({ status: 'failed', reason: 'fetch-failed' });
    expect(outcomes.encounters?.status === 'failed' && outcomes.encounters.error).toBeInstanceOf(FhirHttpError);
    expect(outcomes.patient).toMatchObject({ status: 'ok', source: 'fetched' });
  });

  it('fails a key at the call deadline rather than waiting for a slow server', async () => {
    fhir.serve('Encounter?patient=p1&_count=200', searchset([]), { delayMs: 3_000 });
    const started = performance.now();
    const outcomes = await resolvePrefetch({ templates, prefetch: undefined, context, reader: reader(250) });
    expect(performance.now() - started).toBeLessThan(350);
    expect(outcomes.encounters?.status === 'failed' && outcomes.encounters.error).toBeInstanceOf(FhirTimeoutError);
    expect(outcomes.patient).toMatchObject({ status: 'ok' });
  });

  it('skips a key whose template the context cannot fill, without a request', async () => {
    const outcomes = await resolvePrefetch({
      templates: { encounter: 'Encounter/{{context.encounterId}}' },
      prefetch: undefined,
      context: { patientId: 'p1' },
      reader: reader(),
    });
    expect(outcomes.encounter).toMatchObject({ status: 'failed', reason: 'unfillable-template' });
    expect(fhir.requests).toEqual([]);
  });

  it('fetches all missing keys in parallel: six keys delayed 100 ms each take about 100 ms', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 6; i += 1) {
      many[`k${i}`] = `Observation?patient={{context.patientId}}&code=c${i}`;
      fhir.serve(`Observation?patient=p1&code=c${i}`, searchset([]), { delayMs: 100 });
    }
    const started = performance.now();
    const outcomes = await resolvePrefetch({ templates: many, prefetch: undefined, context, reader: reader() });
    const elapsed = performance.now() - started;
    expect(Object.values(outcomes).every((o) => o.status === 'ok')).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(350);
  });
});
