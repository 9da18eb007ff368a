import type { Reference, Resource } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { LOADED } from './demo-bundles.js';

/** Every Reference-shaped object ({ reference: string }) anywhere inside a resource. */
function referencesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, found);
  } else if (value !== null && typeof value === 'object') {
    const ref = (value as Reference).reference;
    if (typeof ref === 'string') found.push(ref);
    for (const v of Object.values(value)) referencesIn(v, found);
  }
  return found;
}

const key = (r: Resource): string => `${r.resourceType}/${r.id ?? ''}`;

describe.each(LOADED.map((l) => [l.demo.key, l] as const))('the example Bundle %s', (_, { bundle, resources, demo }) => {
  it('is a transaction of PUT requests whose url names the resource', () => {
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry?.length).toBeGreaterThan(0);
    for (const entry of bundle.entry ?? []) {
      expect(entry.request?.method).toBe('PUT');
      expect(entry.request?.url).toBe(key(entry.resource as Resource));
    }
  });

  it('gives every entry a unique urn:uuid fullUrl', () => {
    const urls = (bundle.entry ?? []).map((e) => e.fullUrl ?? '');
    for (const url of urls) expect(url).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('uses lowercase kebab-case ids of at most 64 characters, each once', () => {
    for (const r of resources) {
      expect(r.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect((r.id ?? '').length).toBeLessThanOrEqual(64);
    }
    expect(new Set(resources.map(key)).size).toBe(resources.length);
  });

  it('resolves every reference to an entry of the same Bundle, as a relative Type/id', () => {
    const present = new Set(resources.map(key));
    const refs = resources.flatMap((r) => referencesIn(r));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^[A-Z][A-Za-z]+\/[a-z0-9-]+$/);
      expect(present.has(ref), ref).toBe(true);
    }
  });

  it('holds exactly one Patient, the catalogue\'s, and nothing about anyone else', () => {
    const patients = resources.filter((r) => r.resourceType === 'Patient');
    expect(patients.map((p) => p.id)).toEqual([demo.patientId]);
    const patientRefs = resources.flatMap((r) => referencesIn(r)).filter((r) => r.startsWith('Patient/'));
    expect(new Set(patientRefs)).toEqual(new Set([`Patient/${demo.patientId}`]));
  });

  it('lists referenced resources before the resources that reference them', () => {
    const seen = new Set<string>();
    for (const r of resources) {
      for (const ref of referencesIn(r)) expect(seen.has(ref), `${key(r)} -> ${ref}`).toBe(true);
      seen.add(key(r));
    }
  });
});

describe('the example Bundles together', () => {
  it('never use one resource id twice, across all Bundles', () => {
    const all = LOADED.flatMap((l) => l.resources.map((r) => `${r.resourceType}/${r.id ?? ''}`));
    expect(new Set(all).size).toBe(all.length);
  });

  it('never use one fullUrl twice, across all Bundles', () => {
    const all = LOADED.flatMap((l) => (l.bundle.entry ?? []).map((e) => e.fullUrl));
    expect(new Set(all).size).toBe(all.length);
  });

  it('give every patient a fictitious CPR number of ten digits that fails modulus 11', () => {
    const weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
    for (const { resources } of LOADED) {
      const patient = resources.find((r) => r.resourceType === 'Patient') as import('fhir/r4.js').Patient;
      const cpr = patient.identifier?.find((i) => i.system === 'urn:oid:1.2.208.176.1.2')?.value ?? '';
      expect(cpr).toMatch(/^\d{10}$/);
      const sum = cpr.split('').reduce((s, d, i) => s + Number(d) * (weights[i] ?? 0), 0);
      expect(sum % 11).not.toBe(0);
    }
  });
});
