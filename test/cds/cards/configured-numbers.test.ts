import { describe, expect, it } from 'vitest';
import { buildCards } from '../../../src/cds/cards/build-cards.js';
import { createCardRenderer } from '../../../src/cds/cards/card-renderer.js';
import { addDays } from '../../../src/course/index.js';
import type { CourseHistory } from '../../../src/course/types.js';
import { consult, course, now, score, series } from '../../course/builders.js';
import { TEMPLATES_DIR } from './templates-dir.js';
import { evaluateCourse, parseCourseConfig } from '../../support/engine.js';

/**
 * One source for every number: every limit and threshold changed through CDS_CONFIG's `course` object, and the
 * cards state the new numbers (never a default of their own).
 */
const config = parseCourseConfig({
  courses: {
    recurrent: {
      limits: {
        education: { max: 3 },
        'individual-training': { max: 5, windowMonths: 4 },
        'group-training-week': { max: 2 },
        'group-training-total': { max: 7 },
        'follow-up': { max: 3 },
      },
      finalDue: { afterDays: 49 },
      followUp: { targetMonths: [4, 10], toleranceDays: 21 },
      lookBackDays: { entry: 20, final: 10, 'follow-up': 9 },
    },
  },
  instruments: {
    odi: { change: { points: 12, percent: 35 } },
    psfs: { change: { points: 2.5 }, itemChangePoints: 4 },
    nprs: { change: { points: 3, percent: 40 } },
  },
});
const renderer = createCardRenderer({ templatesDir: TEMPLATES_DIR, definitions: config.definitions });
let n = 0;
const cards = (history: CourseHistory, date: string) => buildCards(evaluateCourse(history, date, config), {
  lang: 'da', renderer, newId: () => `id-${(n += 1)}`, patientId: 'p1', issues: [], definitions: config.definitions,
});
const text = (history: CourseHistory, date: string, topic: string) => {
  const card = cards(history, date).find((c) => c.source.topic?.code === topic);
  return `${card?.summary ?? ''}\n${card?.detail ?? ''}`;
};
const entry = consult('0110', '2026-02-02');

describe('numbers changed through CDS_CONFIG appear on the cards', () => {
  it('education, individual-training and group-training limits', () => {
    const edu = text(course('recurrent', [entry, ...series('0263', '2026-02-03', [0, 1, 2]), now('0265', '2026-02-06')]), '2026-02-06', 'education-limit');
    expect(edu).toContain('højst 3 gange pr. forløb');
    expect(edu).toContain('nr. 4, hvor grænsen er 3');
    const it6 = text(course('recurrent', [entry, ...series('0266', '2026-02-03', [0, 1, 2, 3, 4]), now('0266', '2026-02-09')]), '2026-02-09', 'individual-training-limit');
    expect(it6).toContain('højst 5 gange inden for 4 måneder fra forløbets start');
    expect(it6).toContain('overskrider grænsen på 5 inden for 4 mdr.');
    const week = [entry, ...series('0264', '2026-02-09', [0, 1]), now('0264', '2026-02-11')];
    const group = text(course('recurrent', week), '2026-02-11', 'group-training-frequency');
    expect(group).toContain('højst 2 gange pr. kalenderuge; Holdkonsultation: Superviseret træning (0264) højst 7 gange pr. forløb');
    expect(group).toContain('over grænsen på 2 pr. uge');
  });

  it('follow-up targets, tolerance and count, and the final due date', () => {
    const history = course('recurrent', [entry, consult('0267', '2026-04-01'), now('0268', '2026-05-01')], [score('odi', '2026-05-01', 30), score('psfs', '2026-05-01', 5)]);
    const timing = text(history, '2026-05-01', 'follow-up-timing');
    expect(timing).toContain('omkring 4 og 10 måneder efter den, højst 3 gange, og inden for 21 dage fra måldatoen');
    const next = text(course('recurrent', [entry, now('0263', '2026-02-04')]), '2026-02-04', 'next-consultation');
    expect(next).toContain(`Afsluttende konsultation (0267) bliver aktuel ${addDays('2026-02-02', 49).split('-').reverse().join('.')}`);
    expect(next).toContain('- Patientuddannelse (0263 og 0265 tilsammen): 1 af 3');
    expect(next).toContain('(0266): 0 af 5');
  });

  it('look-back days of each milestone', () => {
    const base = text(course('recurrent', [now('0110', '2026-02-02')]), '2026-02-02', 'missing-baseline-scores');
    expect(base).toContain('fra 20 dage før');
    const fin = text(course('recurrent', [entry, now('0267', '2026-04-01')]), '2026-04-01', 'missing-final-scores');
    expect(fin).toContain('fra 10 dage før');
    const fu = text(course('recurrent', [entry, consult('0267', '2026-04-01'), now('0268', '2026-08-01')]), '2026-08-01', 'follow-up-scores');
    expect(fu).toContain('fra 9 dage før');
  });

  it('clinically important change of every instrument', () => {
    const scores = [
      score('odi', '2026-01-30', 40), score('odi', '2026-04-01', 29),
      { ...score('psfs', '2026-01-30', 3), activities: [{ id: 'psfs-1', label: 'Gå', value: 3 }] },
      { ...score('psfs', '2026-04-01', 5.5), activities: [{ id: 'psfs-1', label: 'Gå', value: 6.5 }] },
      score('nprs', '2026-01-30', 8), score('nprs', '2026-04-01', 6),
    ];
    const out = text(course('recurrent', [entry, now('0267', '2026-04-01')], scores), '2026-04-01', 'outcome-change');
    expect(out).toContain('ODI: lavere er bedre; klinisk relevant ændring mindst 12 point eller 35 %');
    expect(out).toContain('PSFS: højere er bedre; klinisk relevant ændring mindst 2,5 point (4 point på én aktivitet)');
    expect(out).toContain('NPRS: lavere er bedre; klinisk relevant ændring mindst 3 point eller 40 %');
    // ODI -11 is under 12 points and under 35 %; PSFS +3.5 on one activity is under 4; NPRS -2 is under 3 and 40 %.
    expect(out).toContain('| ODI | 40 % (30.01.2026) | 29 % (01.04.2026) | -11 | nej |');
    expect(out).toContain('| Gå | 3 | 6,5 | +3,5 | nej |');
    expect(out).toContain('| NPRS | 8 (30.01.2026) | 6 (01.04.2026) | -2 | nej |');
  });
});
