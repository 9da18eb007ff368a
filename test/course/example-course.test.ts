import { describe, expect, it } from 'vitest';
import { buildCards } from '../../src/cds/cards/build-cards.js';
import { createCardRenderer } from '../../src/cds/cards/card-renderer.js';
import { loadConfig } from '../../src/config.js';
import { evaluateCourse } from '../../src/course/index.js';
import { mapCourse } from '../../src/fhir/map/index.js';
import { TEMPLATES_DIR } from '../cds/cards/templates-dir.js';

/**
 * Proof that a course is data: the EXAMPLE knee/hip course in test/fixtures/courses/knee-hip-example/ (its own
 * codes, group training twice a week for 6 weeks within 12 weeks, a KOOS-like instrument in subscales) is loaded
 * through CDS_CONFIG alone and gives the right cards. Nothing in src/ names it.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const config = loadConfig({ NODE_ENV: 'test', CDS_CONFIG: 'test/fixtures/courses/knee-hip-example.config.json' }, ROOT);
const defs = config.course.definitions;
const renderer = createCardRenderer({ templatesDir: TEMPLATES_DIR, definitions: defs });
const EX = 'https://example.org/fhir';
const P = 'kh-1';

const enc = (id: string, code: string, day: string, status = 'finished') => ({
  resourceType: 'Encounter', id, status, subject: { reference: `Patient/${P}` },
  type: [{ coding: [{ system: `${EX}/CodeSystem/knee-hip-consultation`, code }] }],
  period: { start: `${day}T09:00:00+01:00` },
  episodeOfCare: [{ reference: 'EpisodeOfCare/kh-ep' }],
});
const episode = {
  resourceType: 'EpisodeOfCare', id: 'kh-ep', status: 'active', patient: { reference: `Patient/${P}` },
  type: [{ coding: [{ system: `${EX}/CodeSystem/knee-hip-course-type`, code: 'knee-hip-example' }] }],
  period: { start: '2026-03-02' },
};
/** A KOOS-like response: the ordinal (0-4) of each answered item. */
const koos = (id: string, day: string, answers: Record<string, number>) => ({
  resourceType: 'QuestionnaireResponse', id, status: 'completed', subject: { reference: `Patient/${P}` },
  questionnaire: `${EX}/Questionnaire/koos-example`, authored: `${day}T08:00:00+01:00`,
  item: Object.entries(answers).map(([linkId, k]) => ({
    linkId, answer: [{ valueCoding: { system: `${EX}/CodeSystem/koos-example-answer`, code: String(k) } }],
  })),
});

function cardsAt(encounters: object[], responses: object[], current: string) {
  const m = mapCourse({
    patientId: P, hook: 'encounter-start', currentEncounterId: current, requestInstant: '2026-06-01T12:00:00Z',
    resources: { encounters, episodes: [episode], carePlans: [], observations: [], questionnaireResponses: responses, questionnaires: [] },
    scoresAvailable: true, definitions: defs,
  });
  const ev = evaluateCourse(m.history!, m.referenceDate, config.course);
  const cards = buildCards(ev, { lang: 'da', renderer, newId: () => 'x', patientId: P, issues: m.issues, definitions: defs });
  return { ev, cards, issues: m.issues, byTopic: new Map(cards.map((c) => [c.source.topic?.code, c])) };
}

const allItems = (pain: number, fn: number, qol: number) => ({
  p1: pain, p2: pain, p3: pain, p4: pain, f1: fn, f2: fn, f3: fn, f4: fn, q1: qol, q2: qol, q3: qol,
});

describe('the example knee/hip course, loaded through configuration alone', () => {
  it('is read beside the shipped courses, with its limits and instrument', () => {
    expect([...defs.courses.keys()]).toContain('knee-hip-example');
    expect([...defs.courses.keys()]).toContain('recurrent');
    const kh = defs.courses.get('knee-hip-example')!;
    expect(kh.limits.map((l) => [l.id, l.kind, l.max, l.windowDays])).toEqual([
      ['education', 'per-course', 2, undefined], ['group-week', 'per-iso-week', 2, undefined],
      ['group-total', 'per-course', 12, undefined], ['group-window', 'window', 12, 84], ['follow-up', 'per-course', 1, undefined],
    ]);
    expect(defs.instruments.get('koos-example')?.subscales.map((s) => s.id)).toEqual(['pain', 'function', 'qol']);
  });

  it('warns at a third group training in one ISO week, and one after the 12-week window', () => {
    const base = [enc('e1', 'KH10', '2026-03-02'), enc('e2', 'KH20', '2026-03-04')];
    const week = [enc('g1', 'KH30', '2026-03-09'), enc('g2', 'KH30', '2026-03-11'), enc('g3', 'KH30', '2026-03-13', 'in-progress')];
    const third = cardsAt([...base, ...week], [koos('b', '2026-02-27', allItems(2, 2, 2))], 'g3');
    const card = third.byTopic.get('group-training-frequency');
    expect(card?.indicator).toBe('warning');
    expect(card?.summary).toBe('Denne holdtræning (KH30) er over grænsen på 2 pr. uge (uge 11, 2026)');
    expect(card?.detail).toContain('Superviseret holdtræning, knæ/hofte (eksempel) (KH30) højst 2 gange pr. kalenderuge');
    expect(card?.detail).toContain('højst 12 gange inden for 84 dage fra forløbets start');
    const late = cardsAt([...base, enc('g9', 'KH30', '2026-05-27', 'in-progress')], [koos('b', '2026-02-27', allItems(2, 2, 2))], 'g9');
    expect(late.byTopic.get('group-training-frequency')?.summary).toBe('Denne holdtræning (KH30) ligger efter vinduet, som sluttede 25.05.2026');
  });

  it('names the missing instrument at the entry, and a subscale scored from too few answers', () => {
    const none = cardsAt([enc('e1', 'KH10', '2026-03-02', 'in-progress')], [], 'e1');
    const missing = none.byTopic.get('missing-baseline-scores');
    expect(missing?.indicator).toBe('warning');
    expect(missing?.summary).toBe('Mangler KOOS-eksempel ved forløbets start: udfyldes før eller i dag');
    expect(missing?.suggestions?.[0]?.actions?.[0]?.resource).toMatchObject({ input: [{ valueCanonical: `${EX}/Questionnaire/koos-example` }] });
    const partial = cardsAt([enc('e1', 'KH10', '2026-03-02', 'in-progress')], [koos('b', '2026-02-27', { p1: 1, p2: 1, p3: 1, f1: 2, f2: 2, q1: 4 })], 'e1');
    expect(partial.ev.findings.filter((f) => f.ruleId === 'missing-baseline-scores')).toEqual([]);
    expect(partial.issues).toEqual([{ kind: 'subscale-incomplete', resource: 'QuestionnaireResponse/b', facts: { instrument: 'koos-example', subscale: 'qol' } }]);
    expect(partial.byTopic.get('next-consultation')?.detail).toContain('En delskala er besvaret i for få spørgsmål');
  });

  it('recommends group education first, then group training, then the final when the 12th is counted', () => {
    const first = cardsAt([enc('e1', 'KH10', '2026-03-02', 'in-progress')], [koos('b', '2026-02-27', allItems(2, 2, 2))], 'e1');
    expect(first.ev.recommendations[0]).toMatchObject({ code: 'KH20', reason: 'next-step', facts: { alternatives: ['KH21'] } });
    expect(first.byTopic.get('next-consultation')?.summary).toBe('Anbefalet næste konsultation: Patientuddannelse på hold, knæ/hofte (eksempel) (KH20)');
    const days = ['03-09', '03-11', '03-16', '03-18', '03-23', '03-25', '03-30', '04-01', '04-06', '04-08', '04-13', '04-15'];
    const twelve = days.map((d, i) => enc(`g${i}`, 'KH30', `2026-${d}`, i === 11 ? 'in-progress' : 'finished'));
    const atEleven = cardsAt([enc('e1', 'KH10', '2026-03-02'), ...twelve.slice(0, 11)], [], 'g10');
    expect(atEleven.ev.recommendations[0]).toMatchObject({ code: 'KH30', reason: 'repeat-step', facts: { count: 11, plan: 12 } });
    const atTwelve = cardsAt([enc('e1', 'KH10', '2026-03-02'), ...twelve], [], 'g11');
    expect(atTwelve.ev.recommendations[0]).toMatchObject({ code: 'KH40', reason: 'final-due', facts: { trigger: 'count' } });
  });

  it('shows the change per subscale at the final consultation, clinically important by its own threshold', () => {
    const list = [enc('e1', 'KH10', '2026-03-02'), enc('f', 'KH40', '2026-05-20', 'in-progress')];
    const r = cardsAt(list, [koos('b', '2026-02-27', allItems(3, 2, 2)), koos('n', '2026-05-19', allItems(1, 2, 1))], 'f');
    const change = r.ev.outcome.changes.find((c) => c.instrument === 'koos-example');
    expect(change?.subscales?.map((s) => [s.id, s.baseline, s.current, s.change, s.clinicallyImportant])).toEqual([
      ['pain', 25, 75, 50, true], ['function', 50, 50, 0, false], ['qol', 50, 75, 25, true],
    ]);
    const card = r.byTopic.get('outcome-change');
    expect(card?.summary).toBe('Ændring siden start: KOOS-eksempel Smerte +50 (klinisk relevant), Funktion i dagligdagen 0, Livskvalitet +25 (klinisk relevant)');
    expect(card?.detail).toContain('| KOOS-eksempel: Smerte | 25 (27.02.2026) | 75 (19.05.2026) | +50 | ja |');
    expect(card?.detail).toContain('KOOS-eksempel: højere er bedre; klinisk relevant ændring mindst 10 point pr. delskala.');
  });
});
