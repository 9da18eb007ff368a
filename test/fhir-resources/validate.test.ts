import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeSystem, FhirResource, PlanDefinition, PlanDefinitionAction, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import {
  CodeSystemUrl,
  CONFORMANCE_VERSION,
  PlanDefinitionUrl,
  QuestionnaireUrl,
  ValueSetUrl,
} from '../../src/canonical.js';
import { RULE_IDS } from '../../src/course/types.js';
import { CONSULTATION_CODES, COURSE_TYPES } from '../support/shipped-codes.js';
import { ODI_ANSWER_SYSTEM, ODI_ANSWER_VALUE_SET } from '../../src/instruments/codes.js';
import { NPRS_LINK_ID, ODI_LINK_IDS, PSFS_SLOTS } from '../../src/instruments/link-ids.js';
import { CONFORMANCE_DIR, compareConformanceDir } from '../../scripts/build-conformance.js';
import { checkBundleReferences, validateFhirResource } from '../helpers/fhir-schema.js';

/** Every .json file under fhir-resources/, examples/ included, found afresh on each run. */
function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

const files = jsonFiles(CONFORMANCE_DIR).map((path) => ({
  name: relative(CONFORMANCE_DIR, path),
  path,
  json: JSON.parse(readFileSync(path, 'utf8')) as FhirResource,
}));
const topLevel = files.filter((f) => !f.name.includes('/')).map((f) => f.json);
const byUrl = new Map(
  topLevel.filter((r): r is FhirResource & { url: string } => 'url' in r && typeof r.url === 'string').map((r) => [r.url, r]),
);
const bundles = files.filter((f) => f.json.resourceType === 'Bundle');

describe('every JSON file in fhir-resources', () => {
  it('finds the conformance resources at the top level', () => {
    expect(topLevel.length).toBeGreaterThanOrEqual(28);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s is valid FHIR R4 by the official JSON Schema', (_name, f) => {
    expect(validateFhirResource(f.json)).toEqual([]);
  });
});

describe.skipIf(bundles.length === 0)('every example Bundle', () => {
  it.each(bundles.map((f) => [f.name, f] as const))('%s resolves all its relative and urn references', (_name, f) => {
    expect(checkBundleReferences(f.json)).toEqual([]);
  });
});

describe('conformance resources agree with src/canonical.ts', () => {
  const expectedUrls = {
    CodeSystem: [...Object.values(CodeSystemUrl), ODI_ANSWER_SYSTEM],
    ValueSet: [...Object.values(ValueSetUrl), ODI_ANSWER_VALUE_SET],
    Questionnaire: Object.values(QuestionnaireUrl),
    PlanDefinition: Object.values(PlanDefinitionUrl),
  } as const;

  it.each(Object.entries(expectedUrls))('publishes exactly the %s urls of canonical.ts', (type, urls) => {
    const published = topLevel.filter((r) => r.resourceType === type).map((r) => (r as { url?: string }).url);
    expect(published.sort()).toEqual([...urls].sort());
  });

  it('defines every extension the PlanDefinitions use under the canonical base', () => {
    const used = new Set(
      JSON.stringify(topLevel.filter((r) => r.resourceType === 'PlanDefinition'))
        .match(/"url":"https:[^"]+\/StructureDefinition\/[^"]+"/g)
        ?.map((m) => m.slice(7, -1)),
    );
    expect(used.size).toBeGreaterThan(0);
    for (const url of used) expect(byUrl.get(url)?.resourceType, url).toBe('StructureDefinition');
  });

  it('gives every top-level resource the conformance version and status active', () => {
    for (const r of topLevel) {
      expect(r, `${r.resourceType}/${r.id}`).toMatchObject({ version: CONFORMANCE_VERSION, status: 'active' });
    }
  });

  it('lists exactly the rule ids in the card-topic CodeSystem', () => {
    const cs = byUrl.get(CodeSystemUrl.cardTopic) as CodeSystem;
    expect(cs.concept?.map((c) => c.code)).toEqual([...RULE_IDS]);
    expect(cs.concept?.every((c) => (c.definition ?? '').length > 0)).toBe(true);
  });

  it('lists exactly the consultation codes, each with role, mode and a Danish and English designation', () => {
    const cs = byUrl.get(CodeSystemUrl.consultation) as CodeSystem;
    expect(cs.concept?.map((c) => c.code)).toEqual([...CONSULTATION_CODES]);
    for (const c of cs.concept ?? []) {
      expect(c.property?.map((p) => p.code).sort(), c.code).toEqual(['mode', 'role']);
      expect(c.designation?.map((d) => d.language).sort(), c.code).toEqual(['da', 'en']);
    }
    const roleOf = (code: string) => cs.concept?.find((c) => c.code === code)?.property?.find((p) => p.code === 'role')?.valueCode;
    expect(roleOf('0266')).toBe('training');
    expect(roleOf('0268')).toBe('follow-up');
  });

  it('lists exactly the course types in the course-type CodeSystem', () => {
    const cs = byUrl.get(CodeSystemUrl.courseType) as CodeSystem;
    expect(cs.concept?.map((c) => c.code)).toEqual([...COURSE_TYPES]);
  });

  it('keeps each CodeSystem complete with count and an all-codes ValueSet', () => {
    for (const cs of topLevel.filter((r): r is CodeSystem => r.resourceType === 'CodeSystem')) {
      expect(cs.content).toBe('complete');
      expect(cs.count).toBe(cs.concept?.length);
      expect(byUrl.get(cs.valueSet!)).toMatchObject({ compose: { include: [{ system: cs.url }] } });
    }
  });
});

describe('the Questionnaires', () => {
  const items = (q: Questionnaire): QuestionnaireItem[] => (q.item ?? []).flatMap((i) => [i, ...items({ item: i.item } as Questionnaire)]);

  it('give the ODI the CMS linkIds odi-1..odi-10 with ordinal values 0-5 and the sex-life section optional', () => {
    const q = byUrl.get(QuestionnaireUrl.odi) as Questionnaire;
    expect(q.code?.[0]).toMatchObject({ system: 'http://loinc.org', code: '97908-8' });
    const sections = (q.item ?? []).filter((i) => i.type === 'choice');
    expect(sections.map((i) => i.linkId)).toEqual([...ODI_LINK_IDS]);
    for (const s of sections) {
      const ordinals = s.answerOption?.map((o) => o.valueCoding?.extension?.find((e) => e.url.endsWith('/ordinalValue'))?.valueDecimal);
      expect(ordinals).toEqual([0, 1, 2, 3, 4, 5]);
      expect(s.answerOption?.map((o) => o.valueCoding?.code)).toEqual(['0', '1', '2', '3', '4', '5']);
      expect(s.required).toBe(s.linkId !== 'odi-8');
    }
  });

  it('give the PSFS five activity slots with the shared linkIds and only the first required', () => {
    const q = byUrl.get(QuestionnaireUrl.psfs) as Questionnaire;
    const groups = (q.item ?? []).filter((i) => i.type === 'group');
    expect(groups.map((g) => g.linkId)).toEqual(PSFS_SLOTS.map((s) => s.group));
    groups.forEach((g, i) => {
      const slot = PSFS_SLOTS[i]!;
      expect(g.item?.map((c) => [c.linkId, c.type])).toEqual([
        [slot.activity, 'string'],
        [slot.score, 'integer'],
      ]);
      expect(g.required).toBe(i === 0);
    });
  });

  it('give the NPRS one integer item 0-10 coded LOINC 72514-3', () => {
    const q = byUrl.get(QuestionnaireUrl.nprs) as Questionnaire;
    expect(q.code?.[0]?.code).toBe('72514-3');
    const [item] = items(q);
    expect(item).toMatchObject({ linkId: NPRS_LINK_ID, type: 'integer', required: true });
    expect(item?.extension?.map((e) => e.valueInteger)).toEqual([0, 10]);
  });
});

describe('the PlanDefinitions', () => {
  const flatten = (actions: PlanDefinitionAction[] = []): PlanDefinitionAction[] => actions.flatMap((a) => [a, ...flatten(a.action)]);

  it.each(COURSE_TYPES)('point every action of the %s course at a published ActivityDefinition or relate to a known action', (type) => {
    const plan = byUrl.get(PlanDefinitionUrl[type as keyof typeof PlanDefinitionUrl]) as PlanDefinition;
    expect(plan.type?.coding?.[0]?.code).toBe('clinical-protocol');
    const all = flatten(plan.action);
    const ids = new Set(all.map((a) => a.id));
    expect(ids.size).toBe(all.length);
    for (const a of all) {
      if (a.definitionCanonical) expect(byUrl.get(a.definitionCanonical)?.resourceType, a.id).toBe('ActivityDefinition');
      else expect(a.action?.length, a.id).toBeGreaterThan(0);
      for (const r of a.relatedAction ?? []) expect(ids.has(r.actionId), `${a.id} -> ${r.actionId}`).toBe(true);
    }
  });

  it('encode the 0266, 0264 and 0268 limits of the recurrent course as data, on our profile', () => {
    const plan = byUrl.get(PlanDefinitionUrl.recurrent) as PlanDefinition;
    expect(plan.meta?.profile).toEqual([expect.stringMatching(/StructureDefinition\/course-plan-definition$/)]);
    expect(byUrl.get(plan.meta!.profile![0]!)?.resourceType).toBe('StructureDefinition');
    const byId = (id: string) => (plan.action ?? []).find((a) => a.id === id)!;
    const parts = (a: PlanDefinitionAction, name: string) =>
      (a.extension ?? []).filter((e) => e.url.endsWith(`/${name}`)).map((e) => Object.fromEntries((e.extension ?? []).map((p) => [p.url, p.valueInteger ?? p.valueId ?? p.valueCode ?? p.valueDuration?.value])));
    expect(parts(byId('individual-training'), 'course-limit')).toEqual([{ id: 'individual-training', rule: 'individual-training-limit', kind: 'window', max: 6, window: 3, anchor: 'entry' }]);
    expect(parts(byId('group-training'), 'course-limit').map((l) => [l.kind, l.max])).toEqual([['per-iso-week', 1], ['per-course', 6]]);
    expect(byId('follow-up').extension?.find((e) => e.url.endsWith('/course-follow-up'))?.extension?.map((p) => p.valueDuration?.value)).toEqual([3, 9, 28]);
  });
});

describe('the generator', () => {
  it('has written exactly the files it produces, unchanged (run: npx tsx scripts/build-conformance.ts)', () => {
    expect(compareConformanceDir()).toEqual({ missing: [], stale: [], extra: [] });
  });
});
