import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Encounter, EpisodeOfCare, QuestionnaireResponse, Resource } from 'fhir/r4.js';
import { startService, type RunningService } from '../support/start-service.js';

/**
 * The proof that a course is data: the EXAMPLE knee/hip course in test/fixtures/courses/knee-hip-example/ (its own
 * consultation codes KH10-KH50, group training twice a week, a 12-week window, a KOOS-style instrument scored in
 * three 0-100 subscales from a QuestionnaireResponse) is loaded through CDS_CONFIG alone, and the service, with no
 * change in src/, answers a real hook call over HTTP with that course's cards.
 */
const CODES = 'https://example.org/fhir/CodeSystem/knee-hip-consultation';
const TYPES = 'https://example.org/fhir/CodeSystem/knee-hip-course-type';
const KOOS = 'https://example.org/fhir/Questionnaire/koos-example';
const ANSWERS = 'https://example.org/fhir/CodeSystem/koos-example-answer';
const PATIENT = 'kh-patient';

let svc: RunningService;
beforeAll(async () => {
  svc = await startService({ env: { NODE_ENV: 'development', CDS_CONFIG: 'test/fixtures/courses/knee-hip-example.config.json' } });
});
afterAll(() => svc.close());

const episode: EpisodeOfCare = {
  resourceType: 'EpisodeOfCare', id: 'kh-episode', status: 'active',
  type: [{ coding: [{ system: TYPES, code: 'knee-hip-example' }] }],
  patient: { reference: `Patient/${PATIENT}` }, period: { start: '2026-09-01' },
};

function encounter(id: string, code: string, date: string, status: Encounter['status'] = 'finished'): Encounter {
  return {
    resourceType: 'Encounter', id, status, class: { code: 'AMB' },
    type: [{ coding: [{ system: CODES, code }] }],
    subject: { reference: `Patient/${PATIENT}` },
    episodeOfCare: [{ reference: 'EpisodeOfCare/kh-episode' }],
    period: { start: `${date}T09:00:00+02:00` },
  };
}

/** A KOOS-style response: `ordinal` per item of each subscale (0 = no problems, 4 = extreme). */
function koos(id: string, date: string, ordinal: { pain: number; function: number; qol: number }): QuestionnaireResponse {
  const group = (linkId: 'pain' | 'function' | 'qol', items: string[]) => ({
    linkId,
    item: items.map((i) => ({ linkId: i, answer: [{ valueCoding: { system: ANSWERS, code: String(ordinal[linkId]) } }] })),
  });
  return {
    resourceType: 'QuestionnaireResponse', id, status: 'completed', questionnaire: KOOS,
    subject: { reference: `Patient/${PATIENT}` }, authored: `${date}T08:00:00+02:00`,
    item: [group('pain', ['p1', 'p2', 'p3', 'p4']), group('function', ['f1', 'f2', 'f3', 'f4']), group('qol', ['q1', 'q2', 'q3'])],
  };
}

const bundle = (resources: readonly Resource[]): Bundle => ({
  resourceType: 'Bundle', type: 'searchset', total: resources.length, entry: resources.map((resource) => ({ resource })),
});

async function encounterStart(current: Encounter, history: readonly Encounter[], responses: readonly QuestionnaireResponse[]) {
  const response = await fetch(`${svc.url}/cds-services/lbp-encounter-start`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': 'da' },
    body: JSON.stringify({
      hook: 'encounter-start', hookInstance: crypto.randomUUID(),
      context: { userId: 'Practitioner/p1', patientId: PATIENT, encounterId: current.id },
      prefetch: {
        patient: { resourceType: 'Patient', id: PATIENT },
        encounter: current,
        encounters: bundle([...history, current]),
        episodes: bundle([episode]),
        carePlans: bundle([]),
        scores: bundle([]),
        responses: bundle(responses),
      },
    }),
  });
  expect(response.status).toBe(200);
  const { cards } = (await response.json()) as { cards: { summary: string; detail?: string; indicator: string; source: { topic?: { code: string } } }[] };
  return new Map(cards.map((c) => [c.source.topic?.code ?? '', c]));
}

const entryAndEducation = [encounter('kh1', 'KH10', '2026-09-01'), encounter('kh2', 'KH20', '2026-09-03')];
// Monday 7 September 2026 starts ISO week 37: two group sessions that week are the limit.
const week37 = [encounter('kh3', 'KH30', '2026-09-08'), encounter('kh4', 'KH30', '2026-09-09')];

describe('the example knee/hip course, loaded through CDS_CONFIG alone', () => {
  it('warns at a third group session in one ISO week, states the limit of 2, and notes the missing KOOS subscales at the entry', async () => {
    const cards = await encounterStart(encounter('kh5', 'KH30', '2026-09-11', 'in-progress'), [...entryAndEducation, ...week37], []);
    const frequency = cards.get('group-training-frequency');
    expect(frequency?.indicator).toBe('warning');
    expect(`${frequency?.summary} ${frequency?.detail}`).toContain('KH30');
    expect(`${frequency?.summary} ${frequency?.detail}`).toMatch(/\b2\b/);
    const baseline = cards.get('missing-baseline-scores');
    expect(baseline?.detail).toContain('KOOS-eksempel');
    // The next consultation is this course's own code, by its own name, and never a low-back-pain code.
    const next = cards.get('next-consultation');
    expect(next?.summary).toContain('KH30');
    const all = [...cards.values()].map((c) => `${c.summary} ${c.detail ?? ''}`).join(' ');
    expect(all).not.toMatch(/\b0(110|113|26[1-9])\b/);
  });

  it('at the final consultation: the change per subscale against the baseline, and a follow-up 3 months on', async () => {
    const groups = Array.from({ length: 10 }, (_, i) => encounter(`kg${i}`, 'KH30', `2026-09-${String(14 + i * 1).padStart(2, '0')}`))
      .filter((_, i) => i % 2 === 0);
    const responses = [
      koos('r1', '2026-08-28', { pain: 3, function: 2, qol: 3 }), // baseline: pain 25, function 50, quality of life 25
      koos('r2', '2026-11-18', { pain: 1, function: 2, qol: 1 }), // final: pain 75, function 50, quality of life 75
    ];
    const cards = await encounterStart(encounter('kh9', 'KH40', '2026-11-20', 'in-progress'), [...entryAndEducation, ...week37, ...groups], responses);
    expect(cards.has('missing-baseline-scores')).toBe(false);
    expect(cards.has('missing-final-scores')).toBe(false);
    const change = cards.get('outcome-change')?.detail ?? '';
    // Scored 0-100 per subscale from the item ordinals (reversed: 100 = no problems), compared subscale by subscale.
    expect(change).toMatch(/KOOS-eksempel: Smerte \| 25 \(28\.08\.2026\) \| 75 \(18\.11\.2026\) \| \+50 \| ja/);
    expect(change).toMatch(/KOOS-eksempel: Funktion i dagligdagen \| 50 \(28\.08\.2026\) \| 50 \(18\.11\.2026\) \| 0 \| nej/);
    expect(change).toMatch(/KOOS-eksempel: Livskvalitet \| 25 .* \| \+50 \| ja/);
    expect(change).toContain('mindst 10 point pr. delskala');
    const next = cards.get('next-consultation');
    expect(next?.summary).toContain('KH50');
    expect(next?.detail).toContain('20.02.2027');
    expect(next?.detail).toContain('(vindue 01.09.2026 – 24.11.2026)');
  });
});
