import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Bundle, CapabilityStatement, Encounter, OperationOutcome } from 'fhir/r4.js';
import { startFhirServer } from '../../src/sandbox/start-fhir-server.js';
import type { RunningFhirServer } from '../../src/sandbox/start-fhir-server.js';
import { createFhirServer } from '../../src/sandbox/fhir-server.js';
import { CONSULTATION_SYSTEM, day, encounter, link, searchset, standardResources } from './fixtures.js';

let fhir: RunningFhirServer;

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(path.startsWith('http') ? path : `${fhir.url}/${path}`, init);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const ids = (bundle: Bundle): string[] => (bundle.entry ?? []).map((e) => e.resource?.id ?? '');

beforeAll(async () => {
  fhir = await startFhirServer({ resources: standardResources() });
});

afterAll(async () => {
  await fhir.close();
});

describe('searching Encounters by patient', () => {
  it('finds the same Encounters with a bare id, Patient/id and subject=Patient/id', async () => {
    const bare = searchset((await get('Encounter?patient=p2')).body);
    const typed = searchset((await get('Encounter?patient=Patient/p2')).body);
    const subject = searchset((await get('Encounter?subject=Patient/p2')).body);
    expect(bare.total).toBe(5);
    expect(ids(bare)).toEqual(['p2-e0', 'p2-e1', 'p2-e2', 'p2-e3', 'p2-e4']);
    expect(ids(typed)).toEqual(ids(bare));
    expect(ids(subject)).toEqual(ids(bare));
  });

  it('finds nothing for a patient without Encounters, and answers with an empty searchset', async () => {
    const bundle = searchset((await get('Encounter?patient=nobody')).body);
    expect(bundle.total).toBe(0);
    expect(bundle.entry ?? []).toEqual([]);
  });

  it('combines status, type and date filters', async () => {
    const active = searchset((await get('Encounter?patient=p2&status=finished')).body);
    expect(active.total).toBe(4);
    const typed = searchset((await get(`Encounter?patient=p2&type=${encodeURIComponent(CONSULTATION_SYSTEM + '|0266')}`)).body);
    expect(typed.total).toBe(5);
    const otherCode = searchset((await get(`Encounter?patient=p2&type=${encodeURIComponent(CONSULTATION_SYSTEM + '|0110')}`)).body);
    expect(otherCode.total).toBe(0);
    const since = searchset((await get('Encounter?patient=p1&date=ge2024-05-01&_count=0')).body);
    // day(0) is 2024-01-01; 2024-05-01 is day 121, so days 121..129 remain.
    expect(since.total).toBe(9);
  });

  it('sorts by date descending with _sort=-date', async () => {
    const bundle = searchset((await get('Encounter?patient=p1&_sort=-date&_count=3')).body);
    expect(ids(bundle)).toEqual(['p1-e129', 'p1-e128', 'p1-e127']);
    const starts = (bundle.entry ?? []).map((e) => (e.resource as Encounter).period?.start);
    expect(starts[0]).toBe(day(129));
  });

  it('finds Observations by patient, code and category', async () => {
    const bundle = searchset(
      (await get('Observation?patient=p1&code=http://loinc.org|72514-3&category=survey&date=ge2024-02-01')).body,
    );
    expect(ids(bundle)).toEqual(['p1-o2', 'p1-o3']);
  });
});

describe('paging', () => {
  it('walks 130 Encounters in pages of 50 by following absolute next links', async () => {
    let url: string | undefined = `${fhir.url}/Encounter?patient=p1`;
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      expect(url.startsWith(`${fhir.url}/Encounter?`)).toBe(true);
      const bundle = searchset((await get(url)).body);
      expect(bundle.total).toBe(130);
      seen.push(...ids(bundle));
      pages++;
      url = link(bundle, 'next');
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(130);
    expect(new Set(seen).size).toBe(130);
    expect(seen[0]).toBe('p1-e0');
  });

  it('honours _count and _getpagesoffset, and keeps the filters in the links', async () => {
    const bundle = searchset((await get('Encounter?patient=p1&_count=40&_getpagesoffset=120')).body);
    expect(ids(bundle)).toEqual(Array.from({ length: 10 }, (_, i) => `p1-e${120 + i}`));
    expect(link(bundle, 'next')).toBeUndefined();
    const previous = new URL(link(bundle, 'previous') ?? '');
    expect(previous.searchParams.get('patient')).toBe('p1');
    expect(previous.searchParams.get('_count')).toBe('40');
    expect(previous.searchParams.get('_offset')).toBe('80');
  });

  it('caps _count at 1000 and defaults to 50', async () => {
    const big = searchset((await get('Encounter?_count=5000')).body);
    expect(big.entry).toHaveLength(135);
    expect(new URL(link(big, 'self') ?? '').searchParams.get('_count')).toBe('1000');
    const normal = searchset((await get('Encounter')).body);
    expect(normal.entry).toHaveLength(50);
    expect(normal.total).toBe(135);
  });

  it('gives every entry an absolute fullUrl', async () => {
    const bundle = searchset((await get('Encounter?patient=p2')).body);
    expect(bundle.entry?.[0]?.fullUrl).toBe(`${fhir.url}/Encounter/p2-e0`);
    expect(bundle.entry?.[0]?.search?.mode).toBe('match');
  });
});

describe('search parameter checking', () => {
  it('refuses an unknown search parameter with a 400 OperationOutcome naming it', async () => {
    const { status, body, headers } = await get('Encounter?patient=p1&colour=blue');
    expect(status).toBe(400);
    expect(headers.get('content-type')).toContain('application/fhir+json');
    const outcome = body as OperationOutcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.diagnostics).toContain('colour');
    expect(outcome.issue[0]?.expression).toEqual(['colour']);
  });

  it('ignores the unknown parameter under Prefer: handling=lenient and says so in an outcome entry', async () => {
    const { status, body } = await get('Encounter?patient=p2&colour=blue', { headers: { Prefer: 'handling=lenient' } });
    expect(status).toBe(200);
    const bundle = searchset(body);
    expect(bundle.total).toBe(5);
    const outcome = bundle.entry?.find((e) => e.search?.mode === 'outcome')?.resource as OperationOutcome;
    expect(outcome.issue[0]?.severity).toBe('warning');
    expect(link(bundle, 'self')).not.toContain('colour');
  });

  it('refuses an unknown _sort, unsupported _include and a malformed date', async () => {
    expect((await get('Encounter?_sort=colour')).status).toBe(400);
    expect((await get('Encounter?_include=Encounter:subject')).status).toBe(400);
    const date = await get('Encounter?date=yesterday');
    expect(date.status).toBe(400);
    expect(date.body.resourceType).toBe('OperationOutcome');
  });
});

describe('other interactions', () => {
  it('serves a CapabilityStatement at /metadata listing resources and their search parameters', async () => {
    const { status, body } = await get('metadata');
    expect(status).toBe(200);
    const capability = body as CapabilityStatement;
    expect(capability.fhirVersion).toBe('4.0.1');
    const encounterResource = capability.rest?.[0]?.resource?.find((r) => r.type === 'Encounter');
    const names = encounterResource?.searchParam?.map((p) => p.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['patient', 'subject', '_id', 'status', 'date', 'episode-of-care', 'type']));
    const questionnaire = capability.rest?.[0]?.resource?.find((r) => r.type === 'Questionnaire');
    expect(questionnaire?.searchParam?.map((p) => p.name)).toEqual(expect.arrayContaining(['url', 'code']));
  });

  it('answers POST Encounter/_search with a form body exactly as the GET', async () => {
    const res = await fetch(`${fhir.url}/Encounter/_search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'patient=Patient%2Fp2&status=finished',
    });
    expect(res.status).toBe(200);
    const viaPost = searchset(await res.json());
    const viaGet = searchset((await get('Encounter?patient=Patient/p2&status=finished')).body);
    expect(ids(viaPost)).toEqual(ids(viaGet));
    expect(viaPost.total).toBe(4);
  });

  it('reads by id and answers 404 with an OperationOutcome for an unknown id or type', async () => {
    const found = await get('Encounter/p2-e0');
    expect(found.status).toBe(200);
    expect(found.body.id).toBe('p2-e0');
    const missing = await get('Encounter/does-not-exist');
    expect(missing.status).toBe(404);
    expect(missing.body.resourceType).toBe('OperationOutcome');
    const unknownType = await get('Spaceship/1');
    expect(unknownType.status).toBe(404);
    expect(unknownType.body.resourceType).toBe('OperationOutcome');
  });

  it('loads a transaction Bundle over HTTP, rewriting urn:uuid references to the assigned ids', async () => {
    const patientUrn = 'urn:uuid:0b7c2a9e-3f7e-4b57-9a1e-0d6c1a2b3c4d';
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:5a1d0c3e-7d1b-4a8e-8f5e-2b9c7d6e5f40',
          resource: encounter('ignored', 'x', day(1), { id: undefined, subject: { reference: patientUrn } }),
          request: { method: 'POST', url: 'Encounter' },
        },
        { fullUrl: patientUrn, resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient', id: 'tx-put' }, request: { method: 'PUT', url: 'Patient/tx-put' } },
      ],
    };
    const res = await fetch(fhir.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify(transaction),
    });
    expect(res.status).toBe(200);
    const response = (await res.json()) as Bundle;
    expect(response.type).toBe('transaction-response');
    expect(response.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created', '201 Created']);
    const patientLocation = response.entry?.[1]?.response?.location ?? '';
    const patientId = patientLocation.split('/')[1] ?? '';
    expect(patientId).not.toBe('');
    const encounters = searchset((await get(`Encounter?patient=${patientId}`)).body);
    expect(encounters.total).toBe(1);
    expect((encounters.entry?.[0]?.resource as Encounter).subject?.reference).toBe(`Patient/${patientId}`);
    expect((await get('Patient/tx-put')).status).toBe(200);
  });

  it('refuses malformed JSON and a transaction whose entry does not match its url with 400 OperationOutcomes', async () => {
    const malformed = await fetch(fhir.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: '{"resourceType": "Bundle",',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
    const mismatched = await fetch(fhir.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ resource: { resourceType: 'Patient', id: 'm1' }, request: { method: 'PUT', url: 'Encounter/m1' } }],
      }),
    });
    expect(mismatched.status).toBe(400);
    expect(((await mismatched.json()) as OperationOutcome).issue[0]?.diagnostics).toContain('does not match');
    expect((await get('Patient/m1')).status).toBe(404);
  });

  it('answers 201 to a PUT that creates and 200 to one that updates', async () => {
    const put = (): Promise<Response> =>
      fetch(`${fhir.url}/Patient/put-new`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/fhir+json' },
        body: JSON.stringify({ resourceType: 'Patient', id: 'put-new' }),
      });
    expect((await put()).status).toBe(201);
    expect((await put()).status).toBe(200);
  });

  it('creates with POST, updates with PUT, and refuses an invalid resource', async () => {
    const created = await fetch(`${fhir.url}/Encounter`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify(encounter('x', 'p9', day(3), { id: undefined })),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(new RegExp(`^${fhir.url}/Encounter/`));
    const body = (await created.json()) as Encounter;
    const updated = await fetch(`${fhir.url}/Encounter/${body.id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({ ...body, status: 'cancelled' }),
    });
    expect(updated.status).toBe(200);
    const search = searchset((await get('Encounter?patient=p9&status=cancelled')).body);
    expect(ids(search)).toEqual([body.id]);
    const invalid = await fetch(`${fhir.url}/Encounter/bad`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Encounter', id: 'bad', status: 42, class: { code: 'AMB' } }),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
  });
});

describe('bearer tokens and the access log', () => {
  it('answers 401 without the token or with another, and 200 with it; /metadata stays open', async () => {
    const logs: unknown[] = [];
    const guarded = await startFhirServer({
      resources: standardResources(),
      requireBearer: 'secret-token-123',
      recordAuthorization: true,
      log: (entry) => logs.push(entry),
    });
    try {
      const none = await fetch(`${guarded.url}/Encounter?patient=p2`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as OperationOutcome).issue[0]?.code).toBe('login');
      const wrong = await fetch(`${guarded.url}/Encounter?patient=p2`, { headers: { Authorization: 'Bearer other' } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${guarded.url}/Encounter?patient=p2`, {
        headers: { Authorization: 'Bearer secret-token-123' },
      });
      expect(right.status).toBe(200);
      expect((await fetch(`${guarded.url}/metadata`)).status).toBe(200);

      expect(guarded.server.authorizations).toEqual(['Bearer other', 'Bearer secret-token-123']);
      expect(logs).toHaveLength(4);
      expect(logs[2]).toMatchObject({ method: 'GET', path: '/Encounter', status: 200, authorization: true });
      expect(logs[2]).toMatchObject({ queryKeys: ['patient'] });
      expect(JSON.stringify(logs)).not.toContain('secret-token-123');
      expect(guarded.server.stats().requests).toBe(4);
    } finally {
      await guarded.close();
    }
  });

  it('keeps no Authorization values unless asked to', async () => {
    const before = fhir.server.authorizations.length;
    await fetch(`${fhir.url}/Patient/p1`, { headers: { Authorization: 'Bearer not-kept' } });
    expect(fhir.server.authorizations.length).toBe(before);
    expect(before).toBe(0);
  });
});

describe('mounting', () => {
  it('builds links from the mount path and the Host header', async () => {
    const server = await createFhirServer({ resources: standardResources() });
    const app = express();
    app.use('/ehr/r4', server.router);
    const http = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => http.once('listening', resolve));
    try {
      const port = (http.address() as AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/ehr/r4/Encounter?patient=p1`);
      const bundle = searchset(await res.json());
      expect(link(bundle, 'next')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/ehr/r4/Encounter\\?`));
      expect(bundle.entry?.[0]?.fullUrl).toBe(`http://127.0.0.1:${port}/ehr/r4/Encounter/p1-e0`);
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
