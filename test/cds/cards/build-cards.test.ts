import type { Appointment, Task } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { CodeSystemUrl, GUIDELINE_URL, QuestionnaireUrl } from '../../../src/canonical.js';
import { type BuildCardsOptions } from '../../../src/cds/cards/build-cards.js';
import { NON_ADHERENCE_REASON_SYSTEM } from '../../../src/cds/cards/card-text.js';
import type { CdsCard } from '../../../src/cds/protocol-types.js';
import type { Evaluation, RuleId } from '../../../src/course/types.js';
import { expectValidCdsResponse } from '../../helpers/cds-response.js';
import { KINDS, ODI_CHANGE, PSFS_CHANGE, evaluation, finding, ruleFinding } from './evaluations.js';
import { TEMPLATES_DIR } from './templates-dir.js';
import { buildCards, createCardRenderer } from '../../support/with-shipped.js';

const renderer = createCardRenderer({ templatesDir: TEMPLATES_DIR });

function sequentialIds(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

function cardsFor(ev: Evaluation, options: Partial<BuildCardsOptions> = {}): CdsCard[] {
  const cards = buildCards(ev, {
    lang: 'da',
    renderer,
    newId: sequentialIds(),
    patientId: 'pat-1',
    encounterId: 'enc-1',
    issues: [],
    ...options,
  });
  expectValidCdsResponse({ cards });
  return cards;
}

const topic = (card: CdsCard): string | undefined => card.source.topic?.code;
const cardOf = (cards: readonly CdsCard[], ruleId: RuleId): CdsCard => {
  const card = cards.find((c) => topic(c) === ruleId);
  if (!card) throw new Error(`no ${ruleId} card among ${cards.map(topic).join(', ')}`);
  return card;
};

/** Null, '', [] or {} anywhere in the output: the checklist forbids all four. */
function emptyValues(value: unknown, path = ''): string[] {
  if (value === null || value === undefined || value === '') return [path];
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => emptyValues(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptyValues(v, `${path}.${k}`));
  }
  return [];
}

const RULES = Object.keys(KINDS) as Exclude<RuleId, 'next-consultation'>[];

describe('buildCards', () => {
  it('issues no card when there is no course', () => {
    const ev = evaluation({ hasCourse: false, findings: [ruleFinding('one-per-day', { causedByCurrent: true })] });
    expect(cardsFor(ev)).toEqual([]);
  });

  it('issues exactly one next-consultation card for a course without findings', () => {
    const cards = cardsFor(evaluation());
    expect(cards.map(topic)).toEqual(['next-consultation']);
    expect(cards[0]?.indicator).toBe('info');
  });

  for (const ruleId of RULES) {
    for (const kind of KINDS[ruleId]) {
      it(`turns ${ruleId} findings of kind ${kind} into one valid card in each language`, () => {
        for (const lang of ['da', 'en'] as const) {
          const findings = [
            ruleFinding(ruleId, { kind, causedByCurrent: false, ids: ['enc-a'] }),
            ruleFinding(ruleId, { kind, causedByCurrent: false, ids: ['enc-b'] }),
          ];
          const cards = cardsFor(evaluation({ findings, outcome: { baseline: {}, latest: {}, changes: [ODI_CHANGE] } }), { lang });
          expect(cards.filter((c) => topic(c) === ruleId)).toHaveLength(1);
          expect(cards.filter((c) => topic(c) === 'next-consultation')).toHaveLength(1);
          const card = cardOf(cards, ruleId);
          expect(card.source).toEqual({
            label: lang === 'da' ? 'Strukturerede forløb, lænderyg' : 'Structured courses, low back pain',
            url: GUIDELINE_URL,
            topic: { system: CodeSystemUrl.cardTopic, code: ruleId, display: expect.any(String) },
          });
          expect(card.summary.length).toBeLessThan(140);
          expect(card.detail?.length).toBeGreaterThan(0);
          expect(emptyValues(cards)).toEqual([]);
        }
      });
    }
  }

  it('makes a rule card a warning when any of its findings is one, and info otherwise', () => {
    const past = ruleFinding('individual-training-limit', { kind: 'over-limit', causedByCurrent: false });
    const current = ruleFinding('individual-training-limit', { kind: 'after-window', causedByCurrent: true });
    expect(cardOf(cardsFor(evaluation({ findings: [past] })), 'individual-training-limit').indicator).toBe('info');
    const both = cardsFor(evaluation({ findings: [past, current] }));
    expect(both.filter((c) => topic(c) === 'individual-training-limit')).toHaveLength(1);
    expect(cardOf(both, 'individual-training-limit').indicator).toBe('warning');
  });

  it('never issues a critical card', () => {
    const findings = RULES.map((r) => ruleFinding(r, { causedByCurrent: true, severity: 'warning' }));
    expect(cardsFor(evaluation({ findings })).map((c) => c.indicator)).not.toContain('critical');
  });

  it('puts warnings first, then the next-consultation card, then the info cards, each in rule order', () => {
    const findings = [
      ruleFinding('outcome-change', { severity: 'info', causedByCurrent: true }),
      ruleFinding('one-per-day', { causedByCurrent: true }),
      ruleFinding('course-type-unknown', { severity: 'info' }),
      ruleFinding('course-entry', { causedByCurrent: false }),
      ruleFinding('education-limit', { causedByCurrent: true }),
    ];
    const cards = cardsFor(evaluation({ findings, outcome: { baseline: {}, latest: {}, changes: [ODI_CHANGE] } }));
    expect(cards.map((c) => [topic(c), c.indicator])).toEqual([
      ['education-limit', 'warning'],
      ['one-per-day', 'warning'],
      ['next-consultation', 'info'],
      ['course-entry', 'info'],
      ['outcome-change', 'info'],
      ['course-type-unknown', 'info'],
    ]);
  });

  it('gives every card and suggestion a distinct uuid from the injected generator', () => {
    const findings = [ruleFinding('missing-baseline-scores', { causedByCurrent: true }), ruleFinding('one-per-day')];
    const cards = cardsFor(evaluation({ findings }));
    const ids = cards.flatMap((c) => [c.uuid, ...(c.suggestions ?? []).map((s) => s.uuid)]);
    expect(ids.every((id) => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(cardsFor(evaluation({ findings }))).toEqual(cards);
  });

  it('offers up to three ranked appointments on the next-consultation card, the first recommended', () => {
    const ev = evaluation({
      recommendations: [
        { code: '0267', rank: 2, reason: 'next-step', facts: {} },
        { code: '0264', rank: 1, reason: 'repeat-step', facts: { count: 3, plan: 6, limit: 6 } },
        { code: '0269', rank: 3, reason: 'supplement', facts: {} },
        { code: '0268', rank: 4, reason: 'follow-up', facts: {} },
      ],
    });
    const card = cardOf(cardsFor(ev), 'next-consultation');
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card.summary).toBe('Anbefalet næste konsultation: Holdkonsultation: Superviseret træning (0264)');
    const suggestions = card.suggestions ?? [];
    expect(suggestions.map((s) => s.isRecommended ?? false)).toEqual([true, false, false]);
    const appointments = suggestions.map((s) => s.actions?.[0]?.resource as Appointment);
    expect(appointments.map((a) => a.serviceType?.[0]?.coding?.[0]?.code)).toEqual(['0264', '0267', '0269']);
    expect(suggestions[0]?.actions?.[0]?.type).toBe('create');
    expect(appointments[0]).toEqual({
      resourceType: 'Appointment',
      status: 'proposed',
      serviceType: [
        { coding: [{ system: CodeSystemUrl.consultation, code: '0264', display: 'Holdkonsultation: Superviseret træning' }] },
      ],
      description: 'Holdkonsultation: Superviseret træning (0264)',
      participant: [{ actor: { reference: 'Patient/pat-1' }, status: 'needs-action' }],
    });
  });

  it('asks for a follow-up appointment around its target date', () => {
    const ev = evaluation({
      recommendations: [
        { code: '0268', rank: 1, reason: 'follow-up', facts: { targetDate: '2027-03-20', earliest: '2027-02-20', latest: '2027-04-17' } },
      ],
    });
    const card = cardOf(cardsFor(ev, { lang: 'en' }), 'next-consultation');
    const appointment = card.suggestions?.[0]?.actions?.[0]?.resource as Appointment;
    expect(appointment.requestedPeriod).toEqual([{ start: '2027-03-20', end: '2027-03-20' }]);
    expect(card.detail).toContain('around 20 Mar 2027 (between 20 Feb 2027 and 17 Apr 2027)');
  });

  it('shows counts against limits and the course window on the next-consultation card', () => {
    const detail = cardOf(cardsFor(evaluation()), 'next-consultation').detail ?? '';
    expect(detail).toContain('| Individuel konsultation: Superviseret træning (0266) | 6 af 6 |');
    expect(detail).toContain('- Patientuddannelse (0263 og 0265 tilsammen): 1 af 2');
    expect(detail).toContain('- Individuel konsultation: Superviseret træning (0266): 6 af 6 (vindue 01.09.2026 – 01.12.2026)');
    expect(detail).toContain('- Afsluttende konsultation (0267) bliver aktuel 27.10.2026');
  });

  it('offers no suggestion when the engine recommends nothing', () => {
    const card = cardOf(cardsFor(evaluation({ recommendations: [] })), 'next-consultation');
    expect(card.suggestions).toBeUndefined();
    expect(card.selectionBehavior).toBeUndefined();
  });

  it('offers a questionnaire Task for each missing instrument', () => {
    const f = finding('missing-baseline-scores', 'missing', {
      causedByCurrent: true,
      facts: { required: ['odi', 'psfs'], missing: ['odi', 'psfs'], entryDate: '2026-11-25', lookBackDays: 30 },
    });
    const card = cardOf(cardsFor(evaluation({ findings: [f] })), 'missing-baseline-scores');
    expect(card.indicator).toBe('warning');
    expect(card.selectionBehavior).toBe('any');
    const tasks = (card.suggestions ?? []).map((s) => s.actions?.[0]?.resource as Task);
    expect(tasks.map((t) => t.input?.[0]?.valueCanonical)).toEqual([QuestionnaireUrl.odi, QuestionnaireUrl.psfs]);
    expect(tasks[0]).toEqual({
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      code: { text: 'Udfyld spørgeskema' },
      description: 'Bed patienten udfylde Oswestry Disability Index (ODI) 2.1a',
      for: { reference: 'Patient/pat-1' },
      encounter: { reference: 'Encounter/enc-1' },
      input: [{ type: { text: 'questionnaire' }, valueCanonical: QuestionnaireUrl.odi }],
    });
  });

  it('says that scores could not be read, and offers no Task, when the score server failed', () => {
    for (const ruleId of ['missing-baseline-scores', 'missing-final-scores', 'follow-up-scores'] as const) {
      const f = finding(ruleId, 'unavailable', { severity: 'info', facts: { required: ['odi', 'psfs'], lookBackDays: 14 } });
      const card = cardOf(cardsFor(evaluation({ findings: [f] })), ruleId);
      expect(card.suggestions).toBeUndefined();
      expect(card.summary).toContain('kunne ikke hentes');
      expect(card.detail).toContain('det vides ikke, om de mangler');
      expect(card.detail).not.toContain('Mangler:');
    }
  });

  it('offers HL7 non-adherence reasons on the limit cards, and score reasons on the missing-score cards', () => {
    const findings = RULES.map((r) => ruleFinding(r, { causedByCurrent: true }));
    const cards = cardsFor(evaluation({ findings, outcome: { baseline: {}, latest: {}, changes: [ODI_CHANGE] } }));
    const hl7 = cards.filter((c) => c.overrideReasons?.[0]?.system === NON_ADHERENCE_REASON_SYSTEM).map(topic).sort();
    expect(hl7).toEqual(
      [
        'course-entry', 'education-limit', 'final-consultation', 'follow-up-timing', 'group-training-frequency',
        'individual-training-limit', 'one-per-day',
      ],
    );
    const other = cards.filter((c) => c.overrideReasons && c.overrideReasons[0]?.system !== NON_ADHERENCE_REASON_SYSTEM).map(topic).sort();
    expect(other).toEqual(['follow-up-scores', 'missing-baseline-scores', 'missing-final-scores']);
    const reasons = cardOf(cards, 'one-per-day').overrideReasons ?? [];
    expect(reasons.length).toBeGreaterThanOrEqual(3);
    expect(reasons.every((r) => r.system === NON_ADHERENCE_REASON_SYSTEM && r.code !== '' && r.display !== '')).toBe(true);
  });

  it('writes English cards on request', () => {
    const f = ruleFinding('individual-training-limit', { kind: 'over-limit', causedByCurrent: true });
    const da = cardsFor(evaluation({ findings: [f] }), { lang: 'da' });
    const en = cardsFor(evaluation({ findings: [f] }), { lang: 'en' });
    expect(cardOf(en, 'individual-training-limit').summary).toBe('This 0266 exceeds the limit of 6 within 3 months');
    expect(cardOf(en, 'individual-training-limit').detail).toContain('25 Nov 2026');
    expect(cardOf(da, 'individual-training-limit').detail).toContain('25.11.2026');
    expect(cardOf(en, 'next-consultation').suggestions?.[0]?.label).toBe('Book Group consultation: supervised training (0264)');
  });

  it('takes the source label from the options when the service has its own', () => {
    const cards = cardsFor(evaluation(), { serviceLabel: 'Klinik Nord: forløb' });
    expect(cards[0]?.source.label).toBe('Klinik Nord: forløb');
  });

  it('shows the outcome as a table with the clinically important change marked', () => {
    const f = ruleFinding('outcome-change', { severity: 'info', causedByCurrent: true });
    const card = cardOf(
      cardsFor(evaluation({ findings: [f], outcome: { baseline: {}, latest: {}, changes: [ODI_CHANGE, PSFS_CHANGE] } })),
      'outcome-change',
    );
    expect(card.indicator).toBe('info');
    expect(card.summary).toBe('Ændring siden start: ODI -24 (klinisk relevant), PSFS +1,2');
    expect(card.detail).toContain('| ODI | 42 % (01.09.2026) | 18 % (25.11.2026) | -24 | ja |');
    expect(card.detail).toContain('| PSFS | 3,5 (01.09.2026) | 4,5 (25.11.2026) | +1,2 | nej |');
    expect(card.detail).toContain('| Løfte barnebarn | 2 | 5 | +3 | ja |');
  });

  it('escapes HTML and Markdown in a PSFS activity label, which is patient text', () => {
    const label = '<img src=x onerror=alert(1)> | [klik](javascript:alert(1))';
    const change = { ...PSFS_CHANGE, activities: [{ id: 'a1', label, baseline: 2, current: 6, change: 4, clinicallyImportant: true }] };
    const f = ruleFinding('outcome-change', { severity: 'info', causedByCurrent: true });
    const ev = evaluation({ findings: [f], outcome: { baseline: {}, latest: {}, changes: [change] } });
    for (const lang of ['da', 'en'] as const) {
      const detail = cardOf(cardsFor(ev, { lang }), 'outcome-change').detail ?? '';
      expect(detail).not.toContain('<img');
      expect(detail).not.toContain('](javascript');
      expect(detail).toContain('&lt;img src&#x3D;x onerror&#x3D;alert\\(1\\)&gt; \\| \\[klik\\]');
    }
  });

  it('lists a data-quality issue in the card whose findings name the record, never as a card of its own', () => {
    const f = ruleFinding('one-per-day', { causedByCurrent: false, ids: ['enc-7', 'enc-8'] });
    const cards = cardsFor(evaluation({ findings: [f] }), {
      issues: [{ kind: 'invalid-status', resource: 'Encounter/enc-8', facts: { status: 'done' } }],
    });
    expect(cards.map(topic)).toEqual(['next-consultation', 'one-per-day']);
    expect(cardOf(cards, 'one-per-day').indicator).toBe('info');
    expect(cardOf(cards, 'one-per-day').detail).toContain(
      '- En ressource har en ugyldig status og tælles ikke med. (`Encounter/enc-8`) – Status: done',
    );
    expect(cardOf(cards, 'next-consultation').detail).not.toContain('Datakvalitet');
  });

  it('lists a score record issue on a score card, and any other issue on the next-consultation card', () => {
    const f = ruleFinding('missing-final-scores', { causedByCurrent: true });
    const cards = cardsFor(evaluation({ findings: [f] }), {
      lang: 'en',
      issues: [
        { kind: 'score-disagreement', resource: 'QuestionnaireResponse/qr-1', facts: { instrument: 'odi', stated: 36, computed: 38 } },
        { kind: 'multiple-episodes' },
      ],
    });
    expect(cardOf(cards, 'missing-final-scores').detail).toContain(
      'The stated score differs from the score computed from the answers; the computed one was used. (`QuestionnaireResponse/qr-1`) – Questionnaire: ODI; Stated score: 36; Computed score: 38',
    );
    expect(cardOf(cards, 'next-consultation').detail).toContain('Several courses (EpisodeOfCare) match; the latest started was used.');
  });

  it('lists the records the engine skipped', () => {
    const cards = cardsFor(evaluation({ dataQuality: [{ code: 'invalid-date', recordId: 'enc-9', message: 'bad date' }] }));
    expect(cardOf(cards, 'next-consultation').detail).toContain('En registrering har en ugyldig dato og er ikke talt med. (`enc-9`)');
  });
});
