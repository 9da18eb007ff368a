import { describe, expect, it } from 'vitest';
import { addDays, addMonthsClipped, type ConsultationCode, type CourseType } from '../../src/course/index.js';
import type { Consultation, ScoreRecord } from '../../src/course/index.js';
import { consult, course, score } from './builders.js';
import { evaluateCourse } from '../support/engine.js';

/**
 * The three courses of the seed document, walked from entry to the last follow-up. At every step the history up to
 * and including that consultation is evaluated with it as the current one, at its date: the recommendation must be
 * the next code actually in the seed's sequence, and a compliant course must never raise a warning.
 */

const ENTRY = '2025-02-03'; // a Monday

type Step = readonly [ConsultationCode, number];

function timeline(steps: readonly Step[]): { consultations: Consultation[]; scores: ScoreRecord[] } {
  const consultations = steps.map(([code, day]) => consult(code, addDays(ENTRY, day)));
  const final = consultations.find((c) => c.code === '0267');
  if (!final) throw new Error('timeline without 0267');
  const withFollowUps = [
    ...consultations,
    consult('0268', addMonthsClipped(final.date, 3)),
    consult('0268', addMonthsClipped(final.date, 9)),
  ];
  const baselineDate = addDays(ENTRY, -2);
  const scores = [
    score('odi', baselineDate, 40), score('psfs', baselineDate, 3), score('nprs', baselineDate, 6),
    score('odi', final.date, 20), score('psfs', final.date, 7), score('nprs', final.date, 2),
    ...withFollowUps.filter((c) => c.code === '0268').flatMap((c) => [score('odi', c.date, 14), score('psfs', c.date, 8)]),
  ];
  return { consultations: withFollowUps, scores };
}

function walk(type: CourseType, steps: readonly Step[]) {
  const { consultations, scores } = timeline(steps);
  return consultations.map((c, i) => {
    const history = [...consultations.slice(0, i), { ...c, status: 'in-progress' as const, current: true }];
    const ev = evaluateCourse(course(type, history, scores.filter((s) => s.date <= c.date)), c.date);
    return { at: c, next: consultations[i + 1], ev };
  });
}

function expectCompliantWalk(type: CourseType, steps: readonly Step[]): void {
  for (const { at, next, ev } of walk(type, steps)) {
    const label = `${type}: at ${at.code} on ${at.date}`;
    expect(ev.findings.filter((f) => f.severity === 'warning'), label).toEqual([]);
    const codes = ev.recommendations.map((r) => r.code);
    if (!next) {
      expect(codes, label).toEqual([]);
      expect(ev.progress.facts.courseComplete, label).toBe(true);
    } else if (next.code === '0269') {
      // A supplement never sets the step: it is offered beside the recommendation, never as it.
      expect(codes.slice(1), label).toContain('0269');
    } else {
      expect(codes[0], label).toBe(next.code);
    }
  }
}

describe('the seed courses walked from entry to the last follow-up', () => {
  it('course 1 (self-training): entry, 0265 x2, 0266 x2, 0113, 0267, 0268 at +3 and +9 months', () => {
    expectCompliantWalk('self-training', [
      ['0110', 0], ['0265', 3], ['0265', 7], ['0266', 10], ['0266', 14], ['0113', 17], ['0267', 24],
    ]);
  });

  it('course 1 with several 0113: the final is recommended from the first 0113, further 0113 offered second', () => {
    const results = walk('self-training', [
      ['0110', 0], ['0265', 3], ['0265', 7], ['0266', 10], ['0266', 14], ['0113', 17], ['0113', 21], ['0113', 24], ['0267', 28],
    ]);
    for (const { at, ev } of results) {
      expect(ev.findings.filter((f) => f.severity === 'warning')).toEqual([]);
      if (at.code === '0113') {
        expect(ev.recommendations.map((r) => [r.code, r.reason])).toEqual([['0267', 'final-due'], ['0113', 'repeat-step']]);
      }
    }
  });

  it('course 2 (recurrent): entry, 0263 x2, 0266 x6, 0269, 0264 weekly x6, 0267 at 8 weeks, 0268 x2', () => {
    expectCompliantWalk('recurrent', [
      ['0110', 0], ['0263', 2], ['0263', 7],
      ['0266', 9], ['0266', 11], ['0266', 14], ['0266', 16], ['0266', 18], ['0266', 21], ['0269', 22],
      ['0264', 23], ['0264', 30], ['0264', 37], ['0264', 44], ['0264', 51], ['0264', 56],
      ['0267', 58],
    ]);
  });

  it('course 3 (persistent): entry, 0265 x2, 0266 x6 within 3 months, 0269, 0113 until 12 weeks, 0267, 0268 x2', () => {
    expectCompliantWalk('persistent', [
      ['0110', 0], ['0265', 3], ['0265', 10],
      ['0266', 14], ['0266', 21], ['0266', 28], ['0266', 35], ['0266', 42], ['0266', 49], ['0269', 52],
      ['0113', 56], ['0113', 63], ['0113', 70], ['0113', 77], ['0113', 84],
      ['0267', 86],
    ]);
  });

  it('recommends the 0268 with its target date and tolerance after the 0267', () => {
    const results = walk('persistent', [['0110', 0], ['0265', 3], ['0266', 10], ['0113', 20], ['0267', 90]]);
    const atFinal = results.find((r) => r.at.code === '0267');
    expect(atFinal?.ev.recommendations[0]).toMatchObject({
      code: '0268', rank: 1, reason: 'follow-up',
      facts: { targetDate: '2025-08-04', targetMonths: 3, toleranceDays: 28, earliest: '2025-07-07', latest: '2025-09-01' },
    });
  });
});
