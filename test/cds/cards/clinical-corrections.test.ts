import { describe, expect, it } from 'vitest';
import { type CourseConfig } from '../../../src/course/index.js';
import type { CourseHistory } from '../../../src/course/types.js';
import { consult, course, now, score } from '../../course/builders.js';
import { TEMPLATES_DIR } from './templates-dir.js';
import { evaluateCourse, parseCourseConfig } from '../../support/engine.js';
import { buildCards, createCardRenderer } from '../../support/with-shipped.js';

/** The corrections of course-model.md (tightened), seen on the cards a physiotherapist reads. */
const renderer = createCardRenderer({ templatesDir: TEMPLATES_DIR });
let n = 0;
const cardsOf = (history: CourseHistory, date: string, config?: CourseConfig, lang: 'da' | 'en' = 'da') =>
  buildCards(evaluateCourse(history, date, config), {
    lang, renderer, newId: () => `id-${(n += 1)}`, patientId: 'p1', issues: [],
  });
const topics = (cards: ReturnType<typeof cardsOf>) => cards.map((c) => c.source.topic?.code);

describe('the clinical corrections on the cards', () => {
  it('issues no card at all for a rule switched off, next-consultation included', () => {
    const history = course('recurrent', [now('0110', '2026-02-02')]);
    expect(topics(cardsOf(history, '2026-02-02'))).toContain('next-consultation');
    const off = parseCourseConfig({ rules: { 'next-consultation': false, 'missing-baseline-scores': false } });
    expect(topics(cardsOf(history, '2026-02-02', off))).toEqual([]);
  });

  it('names the entry on the missing-baseline line instead of a bare "Tidligere konsultation"', () => {
    const history = course('recurrent', [consult('0110', '2026-02-02'), now('0263', '2026-02-09')]);
    const card = cardsOf(history, '2026-02-09').find((c) => c.source.topic?.code === 'missing-baseline-scores');
    expect(card?.detail).toMatch(/- Tidligere konsultation: Første konsultation \(0110\), 02\.02\.2026/);
    expect(card?.detail).not.toMatch(/^- Tidligere konsultation$/m);
  });

  it('says "afholdt", never "holdt", of the consultations of a step', () => {
    const history = course('recurrent', [consult('0110', '2026-02-02'), now('0264', '2026-02-09')]);
    const card = cardsOf(history, '2026-02-09').find((c) => c.source.topic?.code === 'next-consultation');
    expect(card?.detail).toMatch(/1 afholdt af planens 6/);
    expect(card?.detail).not.toMatch(/\d holdt/);
  });

  it('says in the summary that a finished course is finished', () => {
    const history = course('persistent', [
      consult('0110', '2026-01-05'), consult('0265', '2026-01-12'), consult('0267', '2026-04-01'),
      consult('0268', '2026-07-01'), now('0268', '2027-01-04'),
    ], [score('odi', '2026-01-01', 40), score('psfs', '2026-01-01', 4)]);
    const card = cardsOf(history, '2027-01-04').find((c) => c.source.topic?.code === 'next-consultation');
    expect(card?.summary).toBe('Forløbet er afsluttet 01.04.2026, og opfølgningen er gennemført');
    expect(card?.detail).toMatch(/\*\*Forløbet er afsluttet\*\* 01\.04\.2026/);
    const en = cardsOf(history, '2027-01-04', undefined, 'en').find((c) => c.source.topic?.code === 'next-consultation');
    expect(en?.summary).toBe('The course finished on 1 Apr 2026, follow-up included');
  });

  it('shows a replaced PSFS activity as new and not compared on the outcome card', () => {
    const psfs = (date: string, acts: [string, string, number][]) => ({
      ...score('psfs', date, acts.reduce((t, x) => t + x[2], 0) / acts.length),
      activities: acts.map(([id, label, value]) => ({ id, label, value })),
    });
    const history = course('recurrent', [consult('0110', '2026-02-02'), now('0267', '2026-04-01')], [
      psfs('2026-01-30', [['psfs-1', 'Løfte', 2], ['psfs-2', 'Gå tur', 4]]),
      psfs('2026-04-01', [['psfs-1', 'Cykle', 10], ['psfs-2', 'Gå tur', 5]]),
    ]);
    const card = cardsOf(history, '2026-04-01').find((c) => c.source.topic?.code === 'outcome-change');
    expect(card?.detail).toMatch(/\| Gå tur \| 4 \| 5 \| \+1 \| nej \|/);
    expect(card?.detail).toMatch(/\| Cykle \(ny\) \| – \| 10 \| ikke sammenlignet \| – \|/);
  });
});
