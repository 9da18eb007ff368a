/** Shared reading of the committed demo Bundles for the tests in this folder. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Encounter, Resource } from 'fhir/r4.js';
import { DEMO_PATIENTS, loadDemoBundle, type DemoPatient } from '../../src/demo/patients.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LoadedDemo {
  readonly demo: DemoPatient;
  readonly bundle: Bundle;
  readonly resources: readonly Resource[];
}

export const LOADED: readonly LoadedDemo[] = DEMO_PATIENTS.map((demo) => {
  const bundle = loadDemoBundle(ROOT, demo);
  return { demo, bundle, resources: (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])) };
});

export function ofType<T extends Resource>(resources: readonly Resource[], type: T['resourceType']): T[] {
  return resources.filter((r): r is T => r.resourceType === type);
}

/** Encounters in start order (instants compared as instants, whatever their offsets). */
export function encountersInOrder(resources: readonly Resource[]): Encounter[] {
  return ofType<Encounter>(resources, 'Encounter')
    .slice()
    .sort((a, b) => Date.parse(a.period?.start ?? '') - Date.parse(b.period?.start ?? ''));
}
