import { describe, expect, it } from 'vitest';
import type { Consultation, ConsultationCode, CourseHistory, ScoreRecord } from '../../../src/course/types.js';
import { expectValidCdsResponse } from '../../helpers/cds-response.js';
import { TEMPLATES_DIR } from './templates-dir.js';
import { evaluateCourse } from '../../support/engine.js';
import { buildCards, createCardRenderer } from '../../support/with-shipped.js';

/**
 * Cards from the real engine's evaluations: the templates must speak of the facts the engine actually gives, so a
 * renamed fact shows up here as a missing sentence or a raw key, not in a physiotherapist's EHR.
 */
const renderer = createCardRenderer({ templatesDir: TEMPLATES_DIR });

const visit = (id: string, code: ConsultationCode, date: string, current = false): Consultation => ({
  id,
  code,
  date,
  status: current ? 'in-progress' : 'finished',
  ...(current ? { current: true } : {}),
});

const recurrentWithBreaches: CourseHistory = {
  type: 'recurrent',
  consultations: [
    visit('e1', '0110', '2026-09-01'),
    visit('e2', '0265', '2026-09-08'),
    visit('e3', '0265', '2026-09-15'),
    visit('e4', '0265', '2026-09-16'),
    ...[1, 2, 3, 4, 5, 6].map((i) => visit(`t${i}`, '0266', `2026-10-0${i}`)),
    visit('t7', '0266', '2026-12-05', true),
    visit('t8', '0269', '2026-12-05'),
    visit('g1', '0264', '2026-11-02'),
    visit('g2', '0264', '2026-11-03'),
    visit('x', '0262', '2026-11-10'),
  ],
  scores: [],
  scoresAvailable: true,
};

const psfs = (id: string, date: string, values: [number, number]): ScoreRecord => ({
  id,
  instrument: 'psfs',
  date,
  value: (values[0] + values[1]) / 2,
  activities: [
    { id: 'a', label: '<b>Løfte</b> | barnebarn', value: values[0] },
    { id: 'b', label: 'Gå tur', value: values[1] },
  ],
});

const persistentAtFollowUp: CourseHistory = {
  type: 'persistent',
  consultations: [
    visit('e1', '0110', '2026-01-05'),
    visit('e2', '0265', '2026-01-12'),
    visit('f', '0267', '2026-04-01'),
    visit('fu', '0268', '2026-05-01', true),
  ],
  scores: [
    { id: 's1', instrument: 'odi', date: '2026-01-05', value: 44 },
    { id: 's2', instrument: 'odi', date: '2026-04-01', value: 20 },
    psfs('s3', '2026-01-05', [2, 4]),
    psfs('s4', '2026-05-01', [7, 5]),
  ],
  scoresAvailable: true,
};

const unknownTypeScoresDown: CourseHistory = {
  consultations: [visit('e1', '0110', '2026-01-05', true)],
  scores: [],
  scoresAvailable: false,
};

const histories: Array<[string, CourseHistory, string]> = [
  ['a recurrent course with broken limits', recurrentWithBreaches, '2026-12-05'],
  ['a persistent course at its early follow-up', persistentAtFollowUp, '2026-05-01'],
  ['a course of unknown type whose scores could not be read', unknownTypeScoresDown, '2026-01-05'],
];

describe('cards from the course engine', () => {
  for (const [name, history, referenceDate] of histories) {
    for (const lang of ['da', 'en'] as const) {
      it(`renders valid ${lang} cards for ${name}, with no raw keys or missing values`, () => {
        let n = 0;
        const cards = buildCards(evaluateCourse(history, referenceDate), {
          lang,
          renderer,
          newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
          patientId: 'pat-1',
          issues: [],
        });
        expectValidCdsResponse({ cards });
        expect(cards.filter((c) => c.source.topic?.code === 'next-consultation')).toHaveLength(1);
        const text = JSON.stringify(cards);
        expect(text).not.toMatch(/undefined|\[object Object\]|NaN/);
        for (const card of cards) expect(card.summary.length).toBeLessThan(140);
      });
    }
  }

  it('names the broken limits of a recurrent course in plain Danish', () => {
    const cards = buildCards(evaluateCourse(recurrentWithBreaches, '2026-12-05'), {
      lang: 'da', renderer, newId: () => crypto.randomUUID(), patientId: 'pat-1', issues: [],
    });
    const byTopic = new Map(cards.map((c) => [c.source.topic?.code, c]));
    expect(byTopic.get('individual-training-limit')?.summary).toBe(
      'Denne 0266 ligger efter træningsvinduet, som sluttede 01.12.2026',
    );
    expect(byTopic.get('individual-training-limit')?.indicator).toBe('warning');
    expect(byTopic.get('education-limit')?.detail).toContain('nr. 3, hvor grænsen er 2.');
    expect(byTopic.get('education-limit')?.detail).toMatch(/^\*\*Patientuddannelse\*\*: Holdkonsultation: Patientuddannelse \(0263\) og Individuel konsultation: Patientuddannelse \(0265\) højst 2 gange pr\. forløb \(tilsammen\)\./);
    expect(byTopic.get('group-training-frequency')?.summary).toBe(
      'Holdtræning (0264) har været over grænsen på 1 pr. uge (uge 45, 2026)',
    );
    expect(byTopic.get('next-consultation')?.summary).toBe(
      'Anbefalet næste konsultation: Afsluttende konsultation (0267)',
    );
  });

  it('shows the outcome at a follow-up with the patient-written activity escaped', () => {
    const cards = buildCards(evaluateCourse(persistentAtFollowUp, '2026-05-01'), {
      lang: 'da', renderer, newId: () => crypto.randomUUID(), patientId: 'pat-1', issues: [],
    });
    const outcome = cards.find((c) => c.source.topic?.code === 'outcome-change');
    expect(outcome?.detail).toContain('| &lt;b&gt;Løfte&lt;/b&gt; \\| barnebarn | 2 | 7 | +5 | ja |');
    expect(outcome?.detail).not.toContain('<b>');
    const timing = cards.find((c) => c.source.topic?.code === 'follow-up-timing');
    expect(timing?.summary).toBe('Denne opfølgning (0268) ligger 61 dage før måldatoen 01.07.2026');
  });
});
