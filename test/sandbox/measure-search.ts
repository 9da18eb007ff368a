/**
 * Measures the sandbox's search speed (not a test: `npx tsx test/sandbox/measure-search.ts`).
 * ~5,000 resources: the real-world Bundles plus generated patients; one patient has 100 Encounters.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Encounter, Observation, Patient, Resource } from 'fhir/r4.js';
import { parseNdjson } from '../../src/sandbox/bundle-loader.js';
import { startFhirServer } from '../../src/sandbox/start-fhir-server.js';
import { REALWORLD_DIR } from '../support/shared-dir.js';

const REALWORLD = `${REALWORLD_DIR}/fhir-data`;

function generated(patients: number, encountersEach: number): Resource[] {
  const resources: Resource[] = [];
  for (let p = 0; p < patients; p++) {
    const patient: Patient = { resourceType: 'Patient', id: `gen-${p}` };
    resources.push(patient);
    const count = p === 0 ? 100 : encountersEach;
    for (let e = 0; e < count; e++) {
      const day = String(1 + (e % 28)).padStart(2, '0');
      const month = String(1 + Math.floor(e / 28) % 12).padStart(2, '0');
      const encounter: Encounter = {
        resourceType: 'Encounter',
        id: `gen-${p}-enc-${e}`,
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        type: [{ coding: [{ system: 'http://example.org/consultation', code: '0266' }] }],
        subject: { reference: `Patient/gen-${p}` },
        period: { start: `2024-${month}-${day}T09:00:00+01:00`, end: `2024-${month}-${day}T09:30:00+01:00` },
      };
      const observation: Observation = {
        resourceType: 'Observation',
        id: `gen-${p}-obs-${e}`,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] },
        subject: { reference: `Patient/gen-${p}` },
        effectiveDateTime: `2024-${month}-${day}`,
        valueInteger: e % 10,
      };
      resources.push(encounter, observation);
    }
  }
  return resources;
}

async function main(): Promise<void> {
  const started = performance.now();
  const running = await startFhirServer();
  for (const dir of readdirSync(REALWORLD)) {
    for (const file of readdirSync(`${REALWORLD}/${dir}`)) {
      const text = readFileSync(`${REALWORLD}/${dir}/${file}`, 'utf8');
      await (file.endsWith('.ndjson')
        ? running.server.loadResources(parseNdjson(text))
        : running.server.load(JSON.parse(text)));
    }
  }
  await running.server.loadResources(generated(140, 10));
  const loadMs = performance.now() - started;
  const repo = running.server.repository;
  console.log(`loaded ${repo.count()} resources (${repo.count('Encounter')} Encounters) in ${loadMs.toFixed(0)} ms`);

  const queries = [
    'Encounter?patient=gen-0&_count=100',
    'Encounter?patient=Patient/gen-0&_sort=date&_count=100',
    'Encounter?patient=gen-0&status=finished&date=ge2024-03-01&_count=100',
    'Observation?patient=gen-0&code=http://loinc.org|72514-3&_count=100',
    'Encounter?type=0266&_count=10',
  ];
  for (const query of queries) {
    const url = `${running.url}/${query}`;
    for (let i = 0; i < 20; i++) {
      await (await fetch(url)).arrayBuffer(); // warm up JIT and FHIRPath compilation
    }
    running.server.resetStats();
    const n = 200;
    const t0 = performance.now();
    let total = 0;
    for (let i = 0; i < n; i++) {
      const bundle = (await (await fetch(url)).json()) as { total: number };
      total = bundle.total;
    }
    const wall = (performance.now() - t0) / n;
    const stats = running.server.stats();
    console.log(
      `${query}: total ${total}; ${wall.toFixed(2)} ms per request round trip, ` +
        `${(stats.totalHandlerMs / stats.requests).toFixed(2)} ms in the FHIR server`,
    );
  }
  await running.close();
}

await main();
