import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeSystem, Encounter, Goal, Observation, Questionnaire, QuestionnaireItem, QuestionnaireResponse } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { CodeSystemUrl, ExternalSystem, Loinc, QuestionnaireUrl } from '../../src/canonical.js';
import { LOADED, ROOT, ofType } from './demo-bundles.js';

const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(ROOT, 'fhir-resources', name), 'utf8')) as T;

function linkIds(items: readonly QuestionnaireItem[] | undefined): string[] {
  return (items ?? []).flatMap((i) => [i.linkId, ...linkIds(i.item)]);
}

const localDate = (instant: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date(instant));
const daysBetween = (from: string, to: string): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

function ordinals(qr: QuestionnaireResponse): number[] {
  return (qr.item ?? []).map((i) => {
    const coding = i.answer?.[0]?.valueCoding;
    const ordinal = coding?.extension?.find((x) => x.url === ExternalSystem.ordinalValueExtension)?.valueDecimal;
    expect(coding?.code).toBe(String(ordinal));
    return ordinal ?? Number.NaN;
  });
}

function psfsRatings(qr: QuestionnaireResponse): { activity: string; rating: number }[] {
  return (qr.item ?? []).map((group) => ({
    activity: group.item?.find((i) => i.linkId === `${group.linkId}-activity`)?.answer?.[0]?.valueString ?? '',
    rating: group.item?.find((i) => i.linkId === `${group.linkId}-score`)?.answer?.[0]?.valueInteger ?? Number.NaN,
  }));
}

describe.each(LOADED.map((l) => [l.demo.key, l] as const))('the scores of %s', (_, { resources }) => {
  const responses = new Map(ofType<QuestionnaireResponse>(resources, 'QuestionnaireResponse').map((r) => [`QuestionnaireResponse/${r.id ?? ''}`, r]));
  const observations = ofType<Observation>(resources, 'Observation');
  const encounters = new Map(ofType<Encounter>(resources, 'Encounter').map((e) => [`Encounter/${e.id ?? ''}`, e]));

  it('pair every QuestionnaireResponse with exactly one Observation derived from it', () => {
    expect(observations.length).toBe(responses.size);
    const derived = observations.map((o) => o.derivedFrom?.[0]?.reference ?? '');
    expect(new Set(derived)).toEqual(new Set(responses.keys()));
  });

  it('are completed answers and final survey Observations, for one encounter, at the same instant', () => {
    for (const o of observations) {
      const qr = responses.get(o.derivedFrom?.[0]?.reference ?? '');
      expect(qr?.status).toBe('completed');
      expect(Object.values(QuestionnaireUrl)).toContain(qr?.questionnaire);
      expect(o.status).toBe('final');
      expect(o.category?.[0]?.coding?.[0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' });
      expect(o.effectiveDateTime).toBe(qr?.authored);
      expect(o.encounter?.reference).toBe(qr?.encounter?.reference);
      expect(o.subject?.reference).toBe(qr?.subject?.reference);
    }
  });

  it('are answered on the day of their consultation or at most a week before it', () => {
    for (const qr of responses.values()) {
      const encounter = encounters.get(qr.encounter?.reference ?? '');
      const days = daysBetween(localDate(qr.authored ?? ''), localDate(encounter?.period?.start ?? ''));
      expect(days).toBeGreaterThanOrEqual(0);
      expect(days).toBeLessThanOrEqual(7);
    }
  });

  it('give each Observation the value its answers score to', () => {
    for (const o of observations) {
      const qr = responses.get(o.derivedFrom?.[0]?.reference ?? '') as QuestionnaireResponse;
      const code = o.code.coding?.[0];
      if (qr.questionnaire === QuestionnaireUrl.odi) {
        const answers = ordinals(qr);
        expect(answers.length).toBeGreaterThanOrEqual(9);
        const percent = Math.round((answers.reduce((s, a) => s + a, 0) / (5 * answers.length)) * 1000) / 10;
        expect(code).toMatchObject({ system: ExternalSystem.loinc, code: Loinc.odiTotal });
        expect(o.valueQuantity).toEqual({ value: percent, unit: '%', system: 'http://unitsofmeasure.org', code: '%' });
      } else if (qr.questionnaire === QuestionnaireUrl.psfs) {
        const ratings = psfsRatings(qr);
        const mean = Math.round((ratings.reduce((s, r) => s + r.rating, 0) / ratings.length) * 10) / 10;
        expect(code).toMatchObject({ system: CodeSystemUrl.instrument, code: 'psfs' });
        expect(o.valueQuantity).toMatchObject({ value: mean, unit: '{score}' });
        expect(o.component?.map((c) => [c.code.coding?.[0]?.code, c.code.text, c.valueInteger])).toEqual(
          ratings.map((r, i) => [`psfs-${i + 1}`, r.activity, r.rating]),
        );
      } else {
        expect(code).toMatchObject({ system: ExternalSystem.loinc, code: Loinc.nprs });
        expect(o.valueInteger).toBe(qr.item?.[0]?.answer?.[0]?.valueInteger);
      }
    }
  });

  it('keep every PSFS activity as a Goal', () => {
    const goals = new Set(ofType<Goal>(resources, 'Goal').map((g) => g.description.text));
    for (const qr of responses.values()) {
      if (qr.questionnaire !== QuestionnaireUrl.psfs) continue;
      for (const r of psfsRatings(qr)) expect(goals.has(r.activity), r.activity).toBe(true);
    }
  });
});

describe('the score answers', () => {
  const odi = readJson<Questionnaire>('Questionnaire-odi.json');
  const psfs = readJson<Questionnaire>('Questionnaire-psfs.json');
  const nprs = readJson<Questionnaire>('Questionnaire-nprs.json');
  const odiAnswers = readJson<CodeSystem>('CodeSystem-odi-answer.json');
  const all = LOADED.flatMap((l) => ofType<QuestionnaireResponse>(l.resources, 'QuestionnaireResponse'));

  it('use only linkIds of the project\'s Questionnaires', () => {
    const known = new Map([[odi.url, linkIds(odi.item)], [psfs.url, linkIds(psfs.item)], [nprs.url, linkIds(nprs.item)]]);
    for (const qr of all) {
      for (const id of linkIds(qr.item as QuestionnaireItem[] | undefined)) expect(known.get(qr.questionnaire)).toContain(id);
    }
  });

  it('code ODI answers with the odi-answer CodeSystem, its codes and displays', () => {
    const display = new Map((odiAnswers.concept ?? []).map((c) => [c.code, c.display]));
    for (const qr of all.filter((q) => q.questionnaire === odi.url)) {
      for (const item of qr.item ?? []) {
        const coding = item.answer?.[0]?.valueCoding;
        expect(coding?.system).toBe(odiAnswers.url);
        expect(coding?.display).toBe(display.get(coding?.code ?? ''));
      }
    }
  });

  it('include responses that leave the ODI sex-life section unanswered, scored over nine sections', () => {
    const nine = all.filter((q) => q.questionnaire === odi.url && q.item?.length === 9);
    expect(nine.length).toBeGreaterThan(0);
    for (const qr of nine) expect(qr.item?.map((i) => i.linkId)).not.toContain('odi-8');
  });
});
