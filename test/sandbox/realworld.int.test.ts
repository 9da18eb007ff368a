/**
 * Every real-world Bundle and NDJSON file loads, and per-patient searches return exactly what the files hold.
 * The expected counts are computed from the files themselves (references to the patient's fullUrl or Patient/id),
 * independently of the loader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Encounter, Resource } from 'fhir/r4.js';
import { parseNdjson } from '../../src/sandbox/bundle-loader.js';
import type { LoadResult } from '../../src/sandbox/bundle-loader.js';
import { startFhirServer } from '../../src/sandbox/start-fhir-server.js';
import type { RunningFhirServer } from '../../src/sandbox/start-fhir-server.js';
import { searchset } from './fixtures.js';
import { REALWORLD_DIR } from '../support/shared-dir.js';

const ROOT = `${REALWORLD_DIR}/fhir-data`;
const FILES = readdirSync(ROOT).flatMap((dir) => readdirSync(join(ROOT, dir)).map((file) => join(ROOT, dir, file)));

interface Source {
  readonly resource: Resource;
  readonly fullUrl?: string;
}

function sources(file: string): Source[] {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.ndjson')) {
    return parseNdjson(text).map((resource) => ({ resource }));
  }
  const bundle = JSON.parse(text) as Bundle;
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [{ resource: e.resource, fullUrl: e.fullUrl }] : []));
}

const all = FILES.flatMap(sources);

/** Patients with their id as the server must hold it (PUT url / resource id) and the references that denote them. */
const patients = all
  .filter((s) => s.resource.resourceType === 'Patient')
  .map((s) => {
    const id = s.resource.id ?? '';
    return { id, references: new Set([`Patient/${id}`, ...(s.fullUrl ? [s.fullUrl] : [])]) };
  });

function expected(type: string, patient: { references: Set<string> }): number {
  const keys = new Set<string>();
  for (const { resource } of all) {
    const subject = (resource as { subject?: { reference?: string } }).subject?.reference;
    if (resource.resourceType === type && subject && patient.references.has(subject)) {
      keys.add(resource.id ?? JSON.stringify(resource)); // the same Condition appears in NDJSON and a Bundle
    }
  }
  return keys.size;
}

let fhir: RunningFhirServer;
const results = new Map<string, LoadResult>();

beforeAll(async () => {
  fhir = await startFhirServer();
  for (const file of FILES) {
    const text = readFileSync(file, 'utf8');
    results.set(
      file,
      file.endsWith('.ndjson')
        ? await fhir.server.loadResources(parseNdjson(text))
        : await fhir.server.load(JSON.parse(text) as Bundle),
    );
  }
});

afterAll(async () => {
  await fhir.close();
});

describe('real-world FHIR data', () => {
  it('loads every Bundle and NDJSON file without skipping an entry', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(9);
    for (const file of FILES) {
      const result = results.get(file);
      expect(result?.skipped, file).toBe(0);
      expect((result?.created ?? 0) + (result?.updated ?? 0), file).toBe(sources(file).length);
    }
    expect(patients.length).toBeGreaterThanOrEqual(15);
  });

  it('resolves the conditional Practitioner/Location references of the bulk-data Bundles to stored resources', async () => {
    const bulk = FILES.filter((f) => f.endsWith('.transaction.json'));
    expect(bulk.length).toBe(2);
    for (const file of bulk) {
      expect(results.get(file)?.unresolvedReferences, file).toBe(0);
    }
    const encounters = await fhir.server.repository.searchResources({ resourceType: 'Encounter', count: 1000 });
    const participants = (encounters as unknown as Encounter[])
      .flatMap((e) => e.participant ?? []).map((p) => p.individual?.reference ?? '');
    expect(participants.length).toBeGreaterThan(0);
    expect(participants.filter((ref) => ref.includes('?'))).toEqual([]);
    const [practitionerRef] = participants.filter((ref) => ref.startsWith('Practitioner/'));
    const read = await fetch(`${fhir.url}/${practitionerRef}`);
    expect(read.status).toBe(200);
  });

  it('reads every patient back by id', async () => {
    for (const patient of patients) {
      const res = await fetch(`${fhir.url}/Patient/${patient.id}`);
      expect(res.status, patient.id).toBe(200);
    }
  });

  it.each(['Encounter', 'Observation', 'Condition'])(
    'returns exactly the %ss each patient has in the files, by bare id and by Patient/id',
    async (type) => {
      let nonEmpty = 0;
      for (const patient of patients) {
        const want = expected(type, patient);
        const bare = searchset(await (await fetch(`${fhir.url}/${type}?patient=${patient.id}&_count=1000`)).json());
        const typed = searchset(
          await (await fetch(`${fhir.url}/${type}?subject=Patient/${patient.id}&_count=1000`)).json(),
        );
        expect(bare.total, `${type} of ${patient.id}`).toBe(want);
        expect(bare.entry?.length ?? 0).toBe(want);
        expect(typed.total).toBe(want);
        if (want > 0) {
          nonEmpty++;
        }
      }
      expect(nonEmpty).toBeGreaterThan(0);
    },
  );

  it('finds the NRS pain Observations of the Synthea patients by LOINC code', async () => {
    const nrs = all.filter(
      (s) =>
        s.resource.resourceType === 'Observation' &&
        JSON.stringify((s.resource as { code?: unknown }).code).includes('"72514-3"'),
    );
    expect(nrs.length).toBeGreaterThan(0);
    const bundle = searchset(await (await fetch(`${fhir.url}/Observation?code=http://loinc.org|72514-3&_count=1000`)).json());
    expect(bundle.total).toBe(nrs.length);
  });

  it('finds the QuestionnaireResponse of the US Core client-test patient', async () => {
    const bundle = searchset(
      await (await fetch(`${fhir.url}/QuestionnaireResponse?patient=us-core-client-tests-patient`)).json(),
    );
    expect(bundle.total).toBe(1);
  });
});
