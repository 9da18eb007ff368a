import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_QUALITY_KINDS, DATA_QUALITY_TEXT, type DataQualityIssue } from '../../../src/fhir/data-quality.js';
import type { CourseMappingInput } from '../../../src/fhir/map/index.js';
import { mapCourse } from '../../support/with-shipped.js';
import { readJson } from './bundle-input.js';
import { parseCourseConfig } from '../../support/engine.js';

interface MessyFixture {
  readonly description: string;
  readonly input: CourseMappingInput;
  readonly expectIssues: readonly string[];
  readonly expect: {
    readonly consultations?: number;
    readonly episodeId?: string;
    readonly type?: string;
    readonly referenceDate?: string;
    readonly scores?: readonly { instrument: string; value: number }[];
  };
}

const DIR = 'test/fixtures/messy';
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

/** Free text that must never reach an issue: names, comments, activity labels, narrative. */
function factsAreIdsCodesNumbersAndDates(issues: readonly DataQualityIssue[]): void {
  for (const i of issues) {
    for (const v of Object.values(i.facts ?? {})) {
      if (typeof v === 'string') expect(v).not.toMatch(/\s/);
    }
  }
}

describe('deliberately broken inputs', () => {
  it('are all there', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of fixtures) {
    const fixture = readJson(join(DIR, file)) as MessyFixture;
    it(`${file.replace('.json', '')}: ${fixture.description}`, () => {
      const m = mapCourse(fixture.input);
      const kinds = m.issues.map((i) => i.kind);
      for (const k of fixture.expectIssues) expect(kinds).toContain(k);
      // Only the encounter-without-type fixture is clean: such an Encounter is simply not a consultation.
      if (fixture.expectIssues.length === 0) expect(m.issues).toEqual([]);
      else expect(m.issues.length).toBeGreaterThan(0);
      for (const k of kinds) expect(DATA_QUALITY_KINDS).toContain(k);
      factsAreIdsCodesNumbersAndDates(m.issues);

      const e = fixture.expect;
      if (e.consultations !== undefined) expect(m.history?.consultations).toHaveLength(e.consultations);
      if (e.episodeId !== undefined) expect(m.episodeId).toBe(e.episodeId);
      if (e.type !== undefined) expect(m.history?.type).toBe(e.type);
      if (e.referenceDate !== undefined) expect(m.referenceDate).toBe(e.referenceDate);
      if (e.scores !== undefined) {
        const got = (m.history?.scores ?? []).map((s) => `${s.instrument}:${s.value}`).sort();
        expect(got).toEqual(e.scores.map((s) => `${s.instrument}:${s.value}`).sort());
      }
    });
  }

  it('names every skipped record by its reference', () => {
    const m = mapCourse((readJson(join(DIR, 'other-patient.json')) as MessyFixture).input);
    expect(m.issues.filter((i) => i.kind === 'other-patient').map((i) => i.resource).sort()).toEqual([
      'Encounter/x1',
      'EpisodeOfCare/ep2',
      'Observation/o1',
    ]);
    expect(m.history?.consultations.map((c) => c.id).sort()).toEqual(['cur', 'e1']);
  });

  it('counts the absolute references once per mapping rather than once per resource', () => {
    const m = mapCourse((readJson(join(DIR, 'absolute-references.json')) as MessyFixture).input);
    expect(m.issues).toEqual([{ kind: 'absolute-reference', facts: { count: 4 } }]);
  });

  it('reports the double tick by section and scores the higher statement', () => {
    const m = mapCourse((readJson(join(DIR, 'odi-double-tick.json')) as MessyFixture).input);
    expect(m.issues).toEqual([
      { kind: 'odi-double-tick', resource: 'QuestionnaireResponse/q1', facts: { linkId: 'odi-3', answers: 2 } },
    ]);
  });

  it('reports how many ODI sections were answered when too few were', () => {
    const m = mapCourse((readJson(join(DIR, 'odi-incomplete.json')) as MessyFixture).input);
    expect(m.issues).toEqual([{ kind: 'odi-incomplete', resource: 'QuestionnaireResponse/q1', facts: { answered: 8 } }]);
  });

  it('scores those eight sections when the configuration lowers scores.odiMinAnswered to 8', () => {
    const input = (readJson(join(DIR, 'odi-incomplete.json')) as MessyFixture).input;
    const m = mapCourse({ ...input, definitions: parseCourseConfig({ scores: { odiMinAnswered: 8 } }).definitions });
    expect(m.issues).toEqual([]);
    expect(m.history?.scores.filter((s) => s.instrument === 'odi')).toHaveLength(1);
  });

  it('has a Danish and an English sentence for every kind', () => {
    for (const k of DATA_QUALITY_KINDS) {
      expect(DATA_QUALITY_TEXT[k].da.length).toBeGreaterThan(10);
      expect(DATA_QUALITY_TEXT[k].en.length).toBeGreaterThan(10);
    }
  });
});
