import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from 'fhir/r4.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoBundles } from '../../src/demo/patients.js';
import { evaluateFhirServer } from '../../src/population/fhir/evaluate-fhir-server.js';
import { evaluateNdjsonFolder } from '../../src/population/ndjson/evaluate-folder.js';
import { writeBundlesAsNdjson } from '../../src/population/ndjson/export-bundles.js';
import { finishPopulation, type PopulationOptions, type PopulationResult } from '../../src/population/population-result.js';
import { createFhirServer, startFhirServer, type RunningFhirServer } from '../../src/sandbox/index.js';
import { writePopulation } from '../../scripts/population/write-population.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * The FHIR-server input against the embedded FHIR server, holding the demo patients and a small generated
 * population: it gives what the NDJSON input gives, and agrees patient by patient with the patient-view hook's
 * cards fired at the same reference date through the real service.
 */
const REF = '2026-11-25';
const OPTIONS: PopulationOptions = { referenceDate: REF, horizonDays: 14, period: 'quarter', lang: 'en' };
let dir: string;
let fhir: RunningFhirServer;
let svc: RunningService;
let fromServer: PopulationResult;

function ndjsonResources(folder: string): Resource[] {
  return readdirSync(folder).flatMap((f) => readFileSync(join(folder, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Resource));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lbp-fhir-pop-'));
  await writeBundlesAsNdjson(loadDemoBundles(PROJECT_ROOT), dir);
  await writePopulation({ patients: 40, seed: 11, referenceDate: REF, outDir: dir, patientsPerSet: 40 });
  const resources = ndjsonResources(dir);
  fhir = await startFhirServer({ resources, requireBearer: 'population-token' });
  const sandbox = await createFhirServer({ resources });
  svc = await startService({ fhirRouter: sandbox.router, now: () => new Date(`${REF}T12:00:00Z`) });
  fromServer = finishPopulation(await evaluateFhirServer(
    { fhirServer: fhir.url, accessToken: 'population-token', patientSource: 'patients', concurrency: 3 }, OPTIONS));
}, 120_000);
afterAll(async () => {
  await fhir?.close();
  await svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the population read from a FHIR server', () => {
  it('reads every patient (the demo\'s 17 and 40 generated) and none is unreadable', () => {
    expect([fromServer.report.patients, fromServer.report.unreadable]).toEqual([57, 0]);
  });

  it('gives the same worklist and report as the same resources read from NDJSON', async () => {
    const fromFiles = finishPopulation(await evaluateNdjsonFolder(dir, OPTIONS, { workers: 0 }));
    expect(fromServer).toEqual(fromFiles);
  });

  it('lists by default only patients with an EpisodeOfCare (the Encounters-only demo course needs --all-patients)', async () => {
    const episodes = finishPopulation(await evaluateFhirServer({ fhirServer: fhir.url, accessToken: 'population-token' }, OPTIONS));
    expect(episodes.report.patients).toBe(56);
    expect(episodes.items.some((i) => i.patientId === 'lbp-noepisode-patient')).toBe(false);
  });

  it('agrees with the patient-view hook\'s cards for every patient', async () => {
    const patients = [...new Set(ndjsonResources(dir).filter((r) => r.resourceType === 'Patient').map((r) => r.id as string))];
    const byPatient = new Map<string, string[]>();
    for (const i of fromServer.items) byPatient.set(i.patientId, [...(byPatient.get(i.patientId) ?? []), `${i.action} ${i.code ?? '-'}`]);
    const limitCards = new Map<string, number>();
    for (const patientId of patients) {
      const res = await svc.hook('lbp-patient-view', {
        hook: 'patient-view', hookInstance: 'd3b07384-d113-4ec6-a5b1-4a1b2c3d4e5f', fhirServer: `${svc.url}/fhir`,
        context: { userId: 'Practitioner/population-test', patientId },
      });
      expect(res.status).toBe(200);
      const cards = res.body.cards as { source: { topic: { code: string } }; suggestions?: { isRecommended?: boolean; actions?: { resource?: { serviceType?: { coding: { code: string }[] }[] } }[] }[] }[];
      const topics = new Set(cards.map((c) => c.source.topic.code));
      const next = cards.find((c) => c.source.topic.code === 'next-consultation');
      const recommended = next?.suggestions?.find((s) => s.isRecommended)?.actions?.[0]?.resource?.serviceType?.[0]?.coding[0]?.code;
      const items = byPatient.get(patientId) ?? [];
      const why = { patientId, items, topics: [...topics], recommended };
      // No course, no card, no item.
      if (cards.length === 0) expect(why).toMatchObject({ items: [] });
      expect({ ...why, typeUnknown: items.includes('type-unknown -') }).toMatchObject({ typeUnknown: topics.has('course-type-unknown') });
      // The engine recommends the 0267 first when it is due; of a course of known type, only then (a course of
      // unknown type reaches the 0267 as its next common step, never as due).
      const finalDue = items.includes('final-due 0267');
      if (finalDue) expect(why).toMatchObject({ recommended: '0267' });
      if (!topics.has('course-type-unknown')) expect({ ...why, finalDue }).toMatchObject({ finalDue: recommended === '0267' });
      // A follow-up due or overdue is what the card recommends next.
      if (items.some((i) => i.startsWith('follow-up-'))) expect(why).toMatchObject({ recommended: '0268' });
      // Missing scores: an item for each missing-score card, and a card for each item.
      expect({ ...why, baseline: items.some((i) => i.startsWith('scores-missing') && /0110|0261|0262/.test(i)) }).toMatchObject({ baseline: topics.has('missing-baseline-scores') });
      expect({ ...why, final: items.includes('scores-missing 0267') }).toMatchObject({ final: topics.has('missing-final-scores') });
      expect({ ...why, followUp: items.includes('scores-missing 0268') }).toMatchObject({ followUp: topics.has('follow-up-scores') });
      for (const t of topics) limitCards.set(t, (limitCards.get(t) ?? 0) + 1);
    }
    // Limit findings in the report: a rule is counted exactly when some patient's card shows it (a card holds all of
    // a rule's findings, so the report's count is at least the number of cards).
    const all = fromServer.report.groups.filter((g) => g.period === 'all');
    for (const rule of ['course-entry', 'education-limit', 'individual-training-limit', 'group-training-frequency', 'one-per-day', 'final-consultation', 'follow-up-timing'] as const) {
      const counted = all.reduce((a, g) => a + (g.limitFindings[rule] ?? 0), 0);
      expect({ rule, counted: counted >= (limitCards.get(rule) ?? 0), some: counted > 0 }).toEqual({ rule, counted: true, some: (limitCards.get(rule) ?? 0) > 0 });
    }
  }, 120_000);

  it('counts a patient whose Encounters the server cannot give as unreadable, and refuses a wrong token outright', async () => {
    const sandbox = await createFhirServer({ resources: ndjsonResources(dir) });
    const app = express();
    // The server fails one patient's Encounter search, as an overloaded EHR server does now and then.
    app.use('/fhir', (req, res, next) => {
      if (req.path === '/Encounter' && req.query.patient === 'pop-11-3') res.status(500).json({ resourceType: 'OperationOutcome', issue: [] });
      else next();
    }, sandbox.router);
    const http = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/fhir`;
      const reasons: string[] = [];
      const r = await evaluateFhirServer({ fhirServer: url, onUnreadable: (u) => reasons.push(u.reason) }, OPTIONS);
      expect([r.patients, r.unreadable, reasons]).toEqual([56, 1, ['encounters unreadable']]);
      expect(r.items.some((i) => i.patientId === 'pop-11-3')).toBe(false);
    } finally {
      http.closeAllConnections();
      http.close();
    }
    await expect(evaluateFhirServer({ fhirServer: fhir.url, accessToken: 'wrong' }, OPTIONS)).rejects.toThrow(/401/);
  });
});
