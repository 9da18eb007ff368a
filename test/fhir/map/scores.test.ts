import { describe, expect, it } from 'vitest';
import { CodeSystemUrl, ExternalSystem, QuestionnaireUrl } from '../../../src/canonical.js';
import { ODI_ANSWER_SYSTEM } from '../../../src/instruments/codes.js';
import { input } from './bundle-input.js';
import { episode, PATIENT, scoreObservation } from './builders.js';
import { mapCourse, scoreQuestionnaireResponse, toScoreRecords } from '../../support/with-shipped.js';

const AUTHORED = '2026-11-01T18:00:00+01:00';

function response(id: string, questionnaire: string, item: unknown[], more: Record<string, unknown> = {}) {
  return { resourceType: 'QuestionnaireResponse', id, questionnaire, status: 'completed', subject: { reference: `Patient/${PATIENT}` }, authored: AUTHORED, item, ...more };
}

const odiItems = (answer: (section: number) => unknown) =>
  Array.from({ length: 10 }, (_, i) => ({ linkId: `odi-${i + 1}`, answer: [answer(i + 1)] }));

const psfsGroups = (ratings: (number | undefined)[]) =>
  ratings.map((r, i) => ({
    linkId: `psfs-${i + 1}`,
    item: [
      { linkId: `psfs-${i + 1}-activity`, answer: [{ valueString: `Aktivitet ${i + 1}` }] },
      ...(r === undefined ? [] : [{ linkId: `psfs-${i + 1}-score`, answer: [{ valueInteger: r }] }]),
    ],
  }));

describe('scoring QuestionnaireResponses', () => {
  it('scores PSFS as the mean of the rated activities, each kept with its slot id and label', () => {
    const r = scoreQuestionnaireResponse(response('q', `${QuestionnaireUrl.psfs}|2025.05.28`, psfsGroups([3, 4, undefined, 4])));
    expect(r.issues).toEqual([]);
    expect(r.value).toEqual({
      id: 'q', instrument: 'psfs', date: '2026-11-01', value: 3.7,
      activities: [
        { id: 'psfs-1', label: 'Aktivitet 1', value: 3 },
        { id: 'psfs-2', label: 'Aktivitet 2', value: 4 },
        { id: 'psfs-4', label: 'Aktivitet 4', value: 4 },
      ],
    });
  });

  it('notes a PSFS response whose own mean item disagrees by more than 0.1', () => {
    const r = scoreQuestionnaireResponse(response('q', QuestionnaireUrl.psfs, [...psfsGroups([3, 4]), { linkId: 'psfs-score', answer: [{ valueDecimal: 4 }] }]));
    expect(r.value?.value).toBe(3.5);
    expect(r.issues).toEqual([{ kind: 'score-disagreement', resource: 'QuestionnaireResponse/q', facts: { instrument: 'psfs', computed: 3.5, stated: 4, source: 'response-item' } }]);
  });

  it('scores NPRS from its one item, decimals accepted', () => {
    const r = scoreQuestionnaireResponse(response('q', QuestionnaireUrl.nprs, [{ linkId: 'nprs', answer: [{ valueDecimal: 3.5 }] }]));
    expect(r).toEqual({ value: { id: 'q', instrument: 'nprs', date: '2026-11-01', value: 3.5 }, issues: [] });
  });

  it('reads ODI ordinals from the itemWeight extension as from ordinalValue', () => {
    const r = scoreQuestionnaireResponse(response('q', QuestionnaireUrl.odi, odiItems(() => ({
      valueCoding: { extension: [{ url: ExternalSystem.itemWeightExtension, valueDecimal: 3 }], code: 'x' },
    }))));
    expect(r.value?.value).toBe(60);
  });

  it('maps an ODI answer code without extension through the Questionnaire\'s answerOption', () => {
    const questionnaire = {
      resourceType: 'Questionnaire', url: 'https://clinic.example/Questionnaire/odi-dk', version: '3', code: [{ system: 'http://loinc.org', code: '97908-8' }],
      item: Array.from({ length: 10 }, (_, i) => ({
        linkId: `odi-${i + 1}`, type: 'choice',
        answerOption: ['a', 'b', 'c', 'd', 'e', 'f'].map((code, o) => ({
          valueCoding: { system: 'urn:clinic', code, extension: [{ url: ExternalSystem.ordinalValueExtension, valueDecimal: o }] },
        })),
      })),
    };
    const qr = response('q', 'https://clinic.example/Questionnaire/odi-dk|3', odiItems((s) => ({ valueCoding: { system: 'urn:clinic', code: s <= 5 ? 'b' : 'c', display: 'Hvad som helst' } })));
    const r = scoreQuestionnaireResponse(qr, [questionnaire]);
    expect(r.issues).toEqual([]);
    expect(r.value?.value).toBe(30);
  });

  it('reads our own ODI answer codes, whose codes are the ordinals, without the Questionnaire', () => {
    const r = scoreQuestionnaireResponse(response('q', QuestionnaireUrl.odi, odiItems(() => ({ valueCoding: { system: ODI_ANSWER_SYSTEM, code: '4' } }))));
    expect(r.value?.value).toBe(80);
  });

  it('never scores from display text', () => {
    const r = scoreQuestionnaireResponse(response('q', QuestionnaireUrl.odi, odiItems(() => ({ valueCoding: { display: '3 point' } }))));
    expect(r.value).toBeUndefined();
    expect(r.issues.filter((i) => i.kind === 'invalid-answer')).toHaveLength(10);
    expect(r.issues).toContainEqual({ kind: 'odi-incomplete', resource: 'QuestionnaireResponse/q', facts: { answered: 0 } });
  });

  it('scores nine answered sections, the sex-life one skipped, over 45', () => {
    const items = odiItems(() => ({ valueCoding: { system: ODI_ANSWER_SYSTEM, code: '2' } })).filter((i) => i.linkId !== 'odi-8');
    expect(scoreQuestionnaireResponse(response('q', QuestionnaireUrl.odi, items)).value?.value).toBe(40);
  });

  it('counts only completed and amended responses, silently', () => {
    for (const status of ['in-progress', 'stopped', 'entered-in-error']) {
      expect(scoreQuestionnaireResponse(response('q', QuestionnaireUrl.nprs, [{ linkId: 'nprs', answer: [{ valueInteger: 3 }] }], { status }))).toEqual({ value: undefined, issues: [] });
    }
    expect(scoreQuestionnaireResponse(response('q', QuestionnaireUrl.nprs, [{ linkId: 'nprs', answer: [{ valueInteger: 3 }] }], { status: 'amended' })).value?.value).toBe(3);
  });

  it('leaves a response to a known Questionnaire of another instrument alone', () => {
    const phq = { resourceType: 'Questionnaire', url: 'http://example.org/phq9', code: [{ system: 'http://loinc.org', code: '44249-1' }] };
    expect(scoreQuestionnaireResponse(response('q', 'http://example.org/phq9', []), [phq])).toEqual({ value: undefined, issues: [] });
  });
});

describe('reading score Observations', () => {
  it('reads ODI as valueQuantity, valueInteger or valueDecimal and NPRS under our own code', () => {
    expect(toScoreRecords(scoreObservation('o1', '97909-6', { valueInteger: 30 }, '2026-11-01')).value).toEqual([{ id: 'o1', instrument: 'odi', date: '2026-11-01', value: 30 }]);
    const own = { ...scoreObservation('o2', 'x', { valueQuantity: { value: 4.5 } }, '2026-11-01'), code: { coding: [{ system: CodeSystemUrl.instrument, code: 'nprs' }] } };
    expect(toScoreRecords(own).value).toEqual([{ id: 'o2', instrument: 'nprs', date: '2026-11-01', value: 4.5 }]);
  });

  it('dates by effectivePeriod.start or effectiveInstant in Copenhagen time', () => {
    const period = { ...scoreObservation('o', '72514-3', { valueInteger: 2 }, ''), effectiveDateTime: undefined, effectivePeriod: { start: '2026-07-31T22:15:00Z' } };
    expect(toScoreRecords(period).value?.[0]?.date).toBe('2026-08-01');
    const instant = { ...scoreObservation('o', '72514-3', { valueInteger: 2 }, ''), effectiveDateTime: undefined, effectiveInstant: '2026-01-31T23:15:00Z' };
    expect(toScoreRecords(instant).value?.[0]?.date).toBe('2026-02-01');
  });

  it('counts final, amended and corrected Observations only, and notes a missing value', () => {
    for (const status of ['preliminary', 'registered', 'cancelled', 'entered-in-error']) {
      expect(toScoreRecords(scoreObservation('o', '72514-3', { valueInteger: 2 }, '2026-11-01', { status }))).toEqual({ value: [], issues: [] });
    }
    expect(toScoreRecords(scoreObservation('o', '72514-3', { valueInteger: 2 }, '2026-11-01', { status: 'corrected' })).value).toHaveLength(1);
    expect(toScoreRecords(scoreObservation('o', '72514-3', {}, '2026-11-01')).issues).toEqual([{ kind: 'missing-value', resource: 'Observation/o', facts: { instrument: 'nprs' } }]);
    expect(toScoreRecords(scoreObservation('o', '72514-3', { valueString: 'seven' }, '2026-11-01')).issues.map((i) => i.kind)).toEqual(['invalid-value']);
    expect(toScoreRecords(scoreObservation('o', '72514-3', { dataAbsentReason: { text: 'asked' } }, '2026-11-01'))).toEqual({ value: [], issues: [] });
  });

  it('reads a PSFS Observation\'s activities, and its mean from them when it states none', () => {
    const comp = (n: number, v: number) => ({ code: { coding: [{ system: CodeSystemUrl.instrument, code: `psfs-${n}` }], text: `A${n}` }, valueInteger: v });
    const obs = { ...scoreObservation('o', 'x', { component: [comp(1, 2), comp(2, 5)] }, '2026-11-01'), code: { coding: [{ system: CodeSystemUrl.instrument, code: 'psfs' }] } };
    expect(toScoreRecords(obs).value).toEqual([{ id: 'o', instrument: 'psfs', date: '2026-11-01', value: 3.5, activities: [{ id: 'psfs-1', label: 'A1', value: 2 }, { id: 'psfs-2', label: 'A2', value: 5 }] }]);
  });
});

describe('pairing Observations with the responses they come from', () => {
  it('keeps the response\'s score when an Observation of the same instrument, day and Encounter states another', () => {
    const qr = response('q', QuestionnaireUrl.nprs, [{ linkId: 'nprs', answer: [{ valueInteger: 6 }] }], { encounter: { reference: 'Encounter/e1' } });
    const same = scoreObservation('o1', '72514-3', { valueInteger: 5 }, '2026-11-01T20:00:00+01:00', { encounter: { reference: 'Encounter/e1' } });
    const close = scoreObservation('o2', '72514-3', { valueDecimal: 6.05 }, '2026-11-01T20:00:00+01:00', { derivedFrom: [{ reference: 'QuestionnaireResponse/q' }] });
    const other = scoreObservation('o3', '72514-3', { valueInteger: 5 }, '2026-11-01T20:00:00+01:00', { encounter: { reference: 'Encounter/e2' } });
    const m = mapCourse(input(PATIENT, { episodes: [episode('ep', '2026-10-01')], questionnaireResponses: [qr], observations: [same, close, other] }));
    expect(m.history?.scores.map((s) => `${s.id}=${s.value}`)).toEqual(['q=6', 'o3=5']);
    expect(m.issues).toEqual([{ kind: 'score-disagreement', resource: 'Observation/o1', facts: { instrument: 'nprs', computed: 6, stated: 5, source: 'observation' } }]);
  });

  it('keeps the Observation when its response cannot be scored', () => {
    const qr = response('q', QuestionnaireUrl.odi, odiItems((s) => (s <= 8 ? { valueCoding: { system: ODI_ANSWER_SYSTEM, code: '1' } } : {})));
    const obs = scoreObservation('o', '97909-6', { valueQuantity: { value: 20 } }, AUTHORED, { derivedFrom: [{ reference: 'QuestionnaireResponse/q' }] });
    const m = mapCourse(input(PATIENT, { episodes: [episode('ep', '2026-10-01')], questionnaireResponses: [qr], observations: [obs] }));
    expect(m.history?.scores.map((s) => `${s.id}=${s.value}`)).toEqual(['o=20']);
  });
});
