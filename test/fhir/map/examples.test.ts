import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapCourse } from '../../../src/fhir/map/index.js';
import { COURSE_2_MID, NO_EPISODE } from '../../../scripts/examples/demo-courses.js';
import { EDGE_CASES } from '../../../scripts/examples/edge-cases.js';
import { COURSE_1, COURSE_2, COURSE_3 } from '../../../scripts/examples/seed-courses.js';
import type { PatientSpec } from '../../../scripts/examples/spec.js';
import { bundleResources, input, readJson } from './bundle-input.js';

/** The timelines the example Bundles are generated from: what each Bundle must map back to. */
const SPECS: readonly PatientSpec[] = [COURSE_1, COURSE_2, COURSE_3, COURSE_2_MID, ...EDGE_CASES, NO_EPISODE];
const DIR = 'fhir-resources/examples';
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

interface Enc { id: string; status: string; period: { start: string } }

function load(file: string) {
  const { resources, all } = bundleResources(readJson(join(DIR, file)));
  const patientId = String(all.find((r) => r['resourceType'] === 'Patient')?.['id']);
  const encounters = [...(resources.encounters as Enc[])].sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
  // The demo's starting Encounter, or for completed courses the last one.
  const current = encounters.find((e) => e.status === 'arrived') ?? encounters[encounters.length - 1];
  return { resources, patientId, current };
}

describe('the example Bundles', () => {
  it('exist, and each has the timeline it was generated from', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(SPECS.map((s) => `${s.key}.json`)).toContain(f);
  });

  for (const file of files) {
    const spec = SPECS.find((s) => `${s.key}.json` === file);
    it(`maps ${file} at its current Encounter onto its last course, with the recorded type and every consultation`, () => {
      const { resources, patientId, current } = load(file);
      const last = spec?.courses[spec.courses.length - 1];
      const m = mapCourse(input(patientId, resources, { hook: 'encounter-start', currentEncounterId: current?.id }));
      expect(m.issues).toEqual([]);
      expect(m.history).toBeDefined();
      expect(m.history?.type).toBe(last?.type);
      expect(m.history?.consultations).toHaveLength(last?.consultations.length ?? -1);
      expect(m.history?.hasEpisode).toBe(last?.episode);
      expect(m.currentConsultationId).toBe(current?.id);
      expect(m.history?.consultations.filter((c) => c.current)).toHaveLength(1);
      expect(m.referenceDate).toBe(spec?.courses.at(-1)?.consultations.at(-1)?.at.slice(0, 10));
    });

    it(`reads one score per QuestionnaireResponse of ${file}, agreeing with the Observation derived from it`, () => {
      const { resources, patientId, current } = load(file);
      const m = mapCourse(input(patientId, resources, { hook: 'encounter-start', currentEncounterId: current?.id }));
      expect(m.history?.scores).toHaveLength(resources.questionnaireResponses.length);
      // The generator computed each Observation's value from the answers on its own; ours must agree within
      // rounding (ODI: we score whole percent, the generator states one decimal), and no disagreement is noted.
      type Obs = { derivedFrom?: { reference: string }[]; valueQuantity?: { value: number }; valueInteger?: number };
      const observed = new Map(
        (resources.observations as Obs[]).map((o) => [o.derivedFrom?.[0]?.reference.replace('QuestionnaireResponse/', ''), o.valueQuantity?.value ?? o.valueInteger]),
      );
      for (const s of m.history?.scores ?? []) {
        const stated = observed.get(s.id);
        expect(stated).toBeDefined();
        expect(Math.abs((stated ?? NaN) - (s.value ?? NaN))).toBeLessThanOrEqual(s.instrument === 'odi' ? 0.5 : 0);
      }
      expect(m.issues).toEqual([]);
      // And within rounding of the timeline's targets (nine-section ODIs cannot hit every integer).
      const odiTargets = (spec?.courses ?? []).flatMap((c) => c.scores.flatMap((s) => (s.odi === undefined ? [] : [s.odi])));
      const odi = (m.history?.scores ?? []).filter((s) => s.instrument === 'odi').map((s) => s.value);
      expect(odi).toHaveLength(odiTargets.length);
      for (const v of odi) expect(odiTargets.some((t) => Math.abs(t - (v ?? NaN)) <= 1.2)).toBe(true);
    });
  }

  it('on patient-view finds the open course of the mid-course patient by its EpisodeOfCare period', () => {
    const { resources, patientId } = load('course-2-mid-course.json');
    const m = mapCourse(input(patientId, resources, { hook: 'patient-view', requestInstant: '2026-11-25T08:00:00Z' }));
    expect(m.episodeId).toBe('lbp-c2mid-episode');
    expect(m.history?.type).toBe('recurrent');
    expect(m.history?.consultations).toHaveLength(6);
    expect(m.history?.consultations.some((c) => c.current)).toBe(false);
  });

  it('on patient-view finds each completed seed course through the episode its consultations name', () => {
    for (const spec of [COURSE_1, COURSE_2, COURSE_3]) {
      const { resources, patientId } = load(`${spec.key}.json`);
      const m = mapCourse(input(patientId, resources, { hook: 'patient-view', requestInstant: '2026-11-25T08:00:00Z' }));
      expect(m.history?.type).toBe(spec.courses[0]?.type);
      expect(m.history?.consultations).toHaveLength(spec.courses[0]?.consultations.length ?? -1);
      expect(m.issues).toEqual([]);
    }
  });

  it('on patient-view splits the episode-less patient at each 0110 and keeps the 2026 course', () => {
    const { resources, patientId } = load('no-episode.json');
    const m = mapCourse(input(patientId, resources, { hook: 'patient-view', requestInstant: '2026-11-25T08:00:00Z' }));
    expect(m.episodeId).toBeUndefined();
    expect(m.history?.hasEpisode).toBe(false);
    expect(m.history?.consultations.map((c) => c.code).sort()).toEqual(['0110', '0263', '0266']);
    expect(m.history?.consultations.every((c) => c.date >= '2026-11-16')).toBe(true);
  });
});
