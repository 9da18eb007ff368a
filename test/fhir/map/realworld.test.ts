import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_ODI_QUESTIONNAIRE_URL } from '../../../src/canonical.js';
import { bundleResources, input, readJson } from './bundle-input.js';
import { REALWORLD_DIR } from '../../support/shared-dir.js';
import { mapCourse, scoreQuestionnaireResponse, toScoreRecords, unknownQuestionnaireUrls } from '../../support/with-shipped.js';

const REALWORLD = REALWORLD_DIR;
const FHIR_DATA = join(REALWORLD, 'fhir-data');
const CMS = join(REALWORLD, 'questionnaires/cms-access-model');
const bundles = readdirSync(FHIR_DATA, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .map((f) => join(FHIR_DATA, f))
  .sort();

const cmsOdi = readJson(join(CMS, 'Questionnaire-OswestryDisabilityIndexQuestionnaireExample.json'));
const cmsOdiResponse = readJson(join(CMS, 'QuestionnaireResponse-OswestryDisabilityIndexExample.json'));
const cmsNrs = readJson(join(CMS, 'Questionnaire-PROMISNRSQuestionnaireExample.json'));

describe('real-world patient Bundles', () => {
  it('are all found', () => {
    expect(bundles.length).toBeGreaterThanOrEqual(7);
  });

  for (const file of bundles) {
    const name = file.slice(FHIR_DATA.length + 1);
    it(`${name} maps without throwing and yields no course on every hook`, () => {
      const { resources, all, fullUrls } = bundleResources(readJson(file));
      const patientId = String(all.find((r) => r['resourceType'] === 'Patient')?.['id']);
      // Inside a transaction Bundle the patient is referenced by her entry's fullUrl.
      const patientReferences = [fullUrls.get(`Patient/${patientId}`) ?? ''];
      const encounters = resources.encounters as { id: string }[];
      for (const hook of ['patient-view', 'encounter-start', 'appointment-book'] as const) {
        const m = mapCourse(
          input(patientId, resources, { hook, patientReferences, currentEncounterId: encounters[encounters.length - 1]?.id }),
        );
        expect(m.history).toBeUndefined();
        expect(m.episodeId).toBeUndefined();
        // These patients' own resources are all theirs: nothing is dropped as another patient's.
        expect(m.issues.filter((i) => i.kind === 'other-patient')).toEqual([]);
      }
    });
  }

  it('reads every Synthea NRS Observation (LOINC 72514-3, decimal values) as an NPRS score', () => {
    const synthea = bundles.filter((f) => f.includes('synthea'));
    let count = 0;
    for (const file of synthea) {
      const { resources } = bundleResources(readJson(file));
      for (const obs of resources.observations as { code?: { coding?: { code?: string }[] }; valueQuantity?: { value: number } }[]) {
        if (obs.code?.coding?.[0]?.code !== '72514-3') continue;
        const r = toScoreRecords(obs);
        expect(r.issues).toEqual([]);
        expect(r.value).toHaveLength(1);
        expect(r.value?.[0]?.instrument).toBe('nprs');
        expect(r.value?.[0]?.value).toBe(obs.valueQuantity?.value);
        expect(r.value?.[0]?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(0);
    // They are decimals: accepted, not rounded.
  });

  it('reads no instrument from Observations of other codes in the Synthea and Inferno data', () => {
    for (const file of bundles) {
      const { resources } = bundleResources(readJson(file));
      for (const obs of resources.observations as { code?: { coding?: { code?: string }[] } }[]) {
        if (obs.code?.coding?.some((c) => c.code === '72514-3')) continue;
        expect(toScoreRecords(obs).value).toEqual([]);
      }
    }
  });
});

describe('the CMS access-model ODI response', () => {
  it('scores 38 from its answers, noting the disagreement with the score item it states (36)', () => {
    const r = scoreQuestionnaireResponse(cmsOdiResponse, [cmsOdi]);
    expect(r.value?.instrument).toBe('odi');
    expect(r.value?.value).toBe(38);
    expect(r.value?.date).toBe('2026-01-15');
    expect(r.issues).toEqual([
      {
        kind: 'score-disagreement',
        resource: 'QuestionnaireResponse/OswestryDisabilityIndexExample',
        facts: { instrument: 'odi', computed: 38, stated: 36, source: 'response-item' },
      },
    ]);
  });

  it('is recognised by its public URL without its Questionnaire', () => {
    const r = scoreQuestionnaireResponse(cmsOdiResponse, []);
    expect(r.value?.value).toBe(38);
    expect(unknownQuestionnaireUrls([cmsOdiResponse], [])).toEqual([]);
  });

  it('wins over an Observation derived from it that states 36, with a note naming the Observation', () => {
    // The stated 36 also appears in the narrative; narrative text is never read, so the test states it as the
    // Observation an EHR would have stored beside the response.
    const observation = {
      resourceType: 'Observation',
      id: 'odi-stated',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '97909-6' }] },
      subject: { reference: 'Patient/PatientExample' },
      effectiveDateTime: '2026-01-15T10:30:00Z',
      valueQuantity: { value: 36, unit: '%' },
      derivedFrom: [{ reference: 'QuestionnaireResponse/OswestryDisabilityIndexExample' }],
    };
    const episode = {
      resourceType: 'EpisodeOfCare',
      id: 'ep',
      status: 'active',
      patient: { reference: 'Patient/PatientExample' },
      period: { start: '2026-01-10' },
    };
    const m = mapCourse(
      input('PatientExample', { episodes: [episode], observations: [observation], questionnaireResponses: [cmsOdiResponse], questionnaires: [cmsOdi] }, { requestInstant: '2026-01-20T09:00:00Z' }),
    );
    expect(m.history?.scores).toEqual([{ id: 'OswestryDisabilityIndexExample', instrument: 'odi', date: '2026-01-15', value: 38 }]);
    expect(m.issues).toContainEqual({
      kind: 'score-disagreement',
      resource: 'Observation/odi-stated',
      facts: { instrument: 'odi', computed: 38, stated: 36, source: 'observation' },
    });
  });

  it('scores a response to the CMS NRS Questionnaire by the Questionnaire\'s code (LOINC 72514-3)', () => {
    const response = {
      resourceType: 'QuestionnaireResponse',
      id: 'nrs-1',
      questionnaire: 'http://example.org/Questionnaire/PROMISNRSQuestionnaire|0.9.11',
      status: 'completed',
      authored: '2026-01-15T23:30:00Z',
      item: [{ linkId: 'nrs-1', answer: [{ valueInteger: 6 }] }],
    };
    expect(unknownQuestionnaireUrls([response, cmsOdiResponse], [])).toEqual(['http://example.org/Questionnaire/PROMISNRSQuestionnaire']);
    expect(unknownQuestionnaireUrls([response], [cmsNrs])).toEqual([]);
    const unknown = scoreQuestionnaireResponse(response, []);
    expect(unknown.value).toBeUndefined();
    expect(unknown.issues.map((i) => i.kind)).toEqual(['unknown-questionnaire']);
    const r = scoreQuestionnaireResponse(response, [cmsNrs]);
    expect(r.issues).toEqual([]);
    // 23:30 UTC on 15 January is 00:30 on the 16th in Copenhagen.
    expect(r.value).toEqual({ id: 'nrs-1', instrument: 'nprs', date: '2026-01-16', value: 6 });
  });

  it('keeps the public URL constant in step with the copy of the Questionnaire', () => {
    expect((cmsOdi as { url: string }).url).toBe(PUBLIC_ODI_QUESTIONNAIRE_URL);
  });
});
