import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays, type Consultation, type ConsultationStatus, type CourseHistory, type ScoreRecord,
} from '../../src/course/index.js';
import { CONSULTATION_CODES, COURSE_TYPES, INSTRUMENTS } from '../support/shipped-codes.js';
import { evaluateCourse } from '../support/engine.js';

const STATUSES: ConsultationStatus[] = [
  'planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown',
  'proposed', 'booked',
];
const ORIGIN = '2025-01-01';
const day = fc.integer({ min: 0, max: 420 }).map((d) => addDays(ORIGIN, d));

const consultationArb = fc.record({
  code: fc.constantFrom(...CONSULTATION_CODES),
  date: day,
  status: fc.constantFrom(...STATUSES),
  // About one in ten is flagged current; several at once are allowed and must still be handled.
  current: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  hour: fc.option(fc.integer({ min: 6, max: 20 }), { nil: undefined }),
});

const scoreArb = fc.record({
  instrument: fc.constantFrom(...INSTRUMENTS),
  date: day,
  value: fc.integer({ min: 0, max: 100 }),
  activities: fc.option(
    fc.array(fc.record({ id: fc.constantFrom('walk', 'lift', 'sit', 'run'), value: fc.integer({ min: 0, max: 10 }) }), { maxLength: 4 }),
    { nil: undefined },
  ),
});

const historyArb = fc
  .record({
    type: fc.option(fc.constantFrom(...COURSE_TYPES), { nil: undefined }),
    consultations: fc.array(consultationArb, { maxLength: 40 }),
    scores: fc.array(scoreArb, { maxLength: 15 }),
    scoresAvailable: fc.option(fc.boolean(), { nil: undefined }),
    hasEpisode: fc.boolean(),
  })
  .map((h): CourseHistory => ({
    ...(h.type ? { type: h.type } : {}),
    consultations: h.consultations.map((c, i): Consultation => ({
      id: `c${i}`,
      code: c.code,
      date: c.date,
      status: c.status,
      ...(c.current ? { current: true } : {}),
      ...(c.hour !== undefined ? { start: `${c.date}T${String(c.hour).padStart(2, '0')}:00:00+01:00` } : {}),
    })),
    scores: h.scores.map((s, i): ScoreRecord => ({
      id: `s${i}`, instrument: s.instrument, date: s.date, value: s.instrument === 'odi' ? s.value : s.value % 11,
      ...(s.activities && s.instrument === 'psfs' ? { activities: s.activities } : {}),
    })),
    ...(h.scoresAvailable !== undefined ? { scoresAvailable: h.scoresAvailable } : {}),
    ...(h.hasEpisode ? { hasEpisode: true } : {}),
  }));

const shuffle = <T>(items: readonly T[], keys: readonly number[]): T[] =>
  items.map((item, i) => ({ item, key: keys[i % Math.max(keys.length, 1)] ?? 0, i }))
    .sort((a, b) => a.key - b.key || b.i - a.i)
    .map((x) => x.item);

const essence = (ev: ReturnType<typeof evaluateCourse>) => ({
  hasCourse: ev.hasCourse, progress: ev.progress, findings: ev.findings, recommendations: ev.recommendations, outcome: ev.outcome,
});

describe('engine properties', () => {
  it('never throws on random histories, and answers in the contract shape', () => {
    fc.assert(fc.property(historyArb, day, (history, ref) => {
      const ev = evaluateCourse(history, ref);
      expect(ev.recommendations.length).toBeLessThanOrEqual(3);
      for (const f of ev.findings) {
        expect(['info', 'warning']).toContain(f.severity);
        if (f.severity === 'warning') expect(f.causedByCurrent || f.ruleId === 'missing-final-scores').toBe(true);
      }
      if (history.scoresAvailable === false) expect(ev.findings.some((f) => f.kind === 'missing')).toBe(false);
      expect(JSON.parse(JSON.stringify(ev.findings))).toEqual(ev.findings);
    }), { numRuns: 300 });
  });

  it('gives the same evaluation twice and for any input order', () => {
    fc.assert(fc.property(historyArb, day, fc.array(fc.integer(), { minLength: 1, maxLength: 60 }), (history, ref, keys) => {
      const first = essence(evaluateCourse(history, ref));
      expect(essence(evaluateCourse(history, ref))).toEqual(first);
      const shuffled: CourseHistory = {
        ...history,
        consultations: shuffle(history.consultations, keys),
        scores: shuffle(history.scores, [...keys].reverse()),
      };
      expect(essence(evaluateCourse(shuffled, ref))).toEqual(first);
    }), { numRuns: 300 });
  });

  it('never changes a count or a finding when a cancelled consultation is added', () => {
    fc.assert(fc.property(
      historyArb, day, consultationArb, fc.constantFrom<ConsultationStatus>('cancelled', 'entered-in-error'),
      (history, ref, extra, status) => {
        const before = essence(evaluateCourse(history, ref));
        const voided: Consultation = { id: 'void-1', code: extra.code, date: extra.date, status, ...(extra.current ? { current: true } : {}) };
        const after = essence(evaluateCourse({ ...history, consultations: [...history.consultations, voided] }, ref));
        expect(after.progress.counts).toEqual(before.progress.counts);
        expect(after.findings).toEqual(before.findings);
        expect(after.recommendations).toEqual(before.recommendations);
      },
    ), { numRuns: 300 });
  });
});
