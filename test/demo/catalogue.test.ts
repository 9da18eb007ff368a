import type { CarePlan, EpisodeOfCare } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { CodeSystemUrl, PlanDefinitionUrl } from '../../src/canonical.js';
import { RULE_IDS } from '../../src/course/types.js';
import { DEMO_PATIENTS, findDemoPatient, loadDemoBundles } from '../../src/demo/patients.js';
import { LOADED, ROOT, ofType } from './demo-bundles.js';

describe('the demo patient catalogue', () => {
  it('has unique keys and patient ids, and a Bundle file under fhir-resources/examples/ for each', () => {
    expect(new Set(DEMO_PATIENTS.map((p) => p.key)).size).toBe(DEMO_PATIENTS.length);
    expect(new Set(DEMO_PATIENTS.map((p) => p.patientId)).size).toBe(DEMO_PATIENTS.length);
    for (const p of DEMO_PATIENTS) expect(p.bundleFile).toBe(`fhir-resources/examples/${p.key}.json`);
  });

  it('loads every Bundle in catalogue order', () => {
    const bundles = loadDemoBundles(ROOT);
    expect(bundles).toHaveLength(DEMO_PATIENTS.length);
    bundles.forEach((b, i) => {
      expect(b.entry?.[0]?.resource).toMatchObject({ resourceType: 'Patient', id: DEMO_PATIENTS[i]?.patientId });
    });
  });

  it('finds a patient by key and nothing for an unknown key', () => {
    expect(findDemoPatient('course-2-mid-course')?.patientId).toBe('lbp-c2mid-patient');
    expect(findDemoPatient('no-such-patient')).toBeUndefined();
  });

  it('has one edge-case patient for every rule that can be broken, expecting exactly that rule', () => {
    const informational = ['outcome-change', 'next-consultation'];
    const breakable = RULE_IDS.filter((r) => !informational.includes(r));
    for (const rule of breakable) {
      expect(findDemoPatient(`edge-${rule}`)?.expectedRuleIds).toEqual([rule]);
    }
  });

  it('only expects real rule ids, never the two that every evaluation may produce', () => {
    for (const p of DEMO_PATIENTS) {
      for (const r of p.expectedRuleIds) {
        expect(RULE_IDS).toContain(r);
        expect(['outcome-change', 'next-consultation']).not.toContain(r);
      }
    }
  });

  it('states the course type that the current course\'s EpisodeOfCare and CarePlan record', () => {
    for (const { demo, resources } of LOADED) {
      const episodes = ofType<EpisodeOfCare>(resources, 'EpisodeOfCare');
      const current = episodes.find((e) => e.status === 'active') ?? episodes[episodes.length - 1];
      const type = current?.type?.flatMap((t) => t.coding ?? []).find((c) => c.system === CodeSystemUrl.courseType)?.code;
      expect(type, demo.key).toBe(demo.courseType);
      const plan = ofType<CarePlan>(resources, 'CarePlan').find((c) =>
        c.extension?.some((x) => x.valueReference?.reference === `EpisodeOfCare/${current?.id ?? ''}`));
      expect(plan?.instantiatesCanonical, demo.key).toEqual(demo.courseType ? [PlanDefinitionUrl[demo.courseType as keyof typeof PlanDefinitionUrl]] : undefined);
    }
  });
});
