import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/course/index.js';
import { consult, course, now, series } from './builders.js';
import { evaluateCourse, parseCourseConfig } from '../support/engine.js';

const codes = (ev: ReturnType<typeof evaluateCourse>) => ev.recommendations.map((r) => r.code);

describe('next-consultation', () => {
  it('recommends the entry for an EpisodeOfCare without consultations', () => {
    const ev = evaluateCourse(course('recurrent', [], [], { hasEpisode: true }), '2025-02-01');
    expect(ev.hasCourse).toBe(true);
    expect(ev.recommendations).toMatchObject([{ code: '0110', rank: 1, reason: 'entry' }, { code: '0261', rank: 2 }]);
  });

  it('prefers group education in course 2 and individual education in courses 1 and 3', () => {
    expect(codes(evaluateCourse(course('recurrent', [now('0110', '2025-02-03')]), '2025-02-03'))[0]).toBe('0263');
    expect(codes(evaluateCourse(course('self-training', [now('0110', '2025-02-03')]), '2025-02-03'))[0]).toBe('0265');
    expect(codes(evaluateCourse(course('persistent', [now('0110', '2025-02-03')]), '2025-02-03'))[0]).toBe('0265');
  });

  it('repeats 0266 in course 1 only up to the plan of two', () => {
    const one = [consult('0110', '2025-02-03'), consult('0265', '2025-02-05'), now('0266', '2025-02-07')];
    expect(codes(evaluateCourse(course('self-training', one), '2025-02-07'))[0]).toBe('0266');
    const two = [...one.slice(0, 2), consult('0266', '2025-02-07'), now('0266', '2025-02-10')];
    expect(codes(evaluateCourse(course('self-training', two), '2025-02-10'))[0]).toBe('0113');
  });

  it('stops repeating 0266 when the window has closed for the next one', () => {
    const entry = consult('0110', '2025-02-03');
    // Course 1: the final is not due by date, and its plan allows a second 0266.
    const open = evaluateCourse(course('self-training', [entry, now('0266', '2025-05-02')]), '2025-05-02');
    expect(open.recommendations[0]).toMatchObject({ code: '0266', reason: 'repeat-step', facts: { windowEnd: '2025-05-03' } });
    // A consultation on the window's last day leaves no day for another one inside it.
    const closed = evaluateCourse(course('self-training', [entry, now('0266', '2025-05-03')]), '2025-05-03');
    expect(codes(closed)[0]).toBe('0113');
  });

  it('repeats 0264 no earlier than the next ISO week', () => {
    const list = [consult('0110', '2025-03-03'), consult('0263', '2025-03-05'), consult('0263', '2025-03-07'), now('0264', '2025-03-12')];
    const [first] = evaluateCourse(course('recurrent', list), '2025-03-12').recommendations;
    expect(first).toMatchObject({ code: '0264', reason: 'repeat-step', facts: { count: 1, limit: 6, notBefore: '2025-03-17' } });
  });

  it('recommends the final on the boundary day in course 2 (entry + 56 days) and course 3 (entry + 84 days)', () => {
    const entry = consult('0110', '2025-02-03');
    const c2 = (day: number) =>
      evaluateCourse(course('recurrent', [entry, consult('0263', '2025-02-05'), now('0264', addDays('2025-02-03', day))]), addDays('2025-02-03', day));
    expect(c2(55).recommendations[0]?.code).toBe('0264');
    expect(c2(56).recommendations[0]).toMatchObject({ code: '0267', reason: 'final-due', facts: { dueDate: '2025-03-31' } });
    const c3 = (day: number) =>
      evaluateCourse(course('persistent', [entry, consult('0265', '2025-02-05'), now('0113', addDays('2025-02-03', day))]), addDays('2025-02-03', day));
    expect(c3(83).recommendations[0]?.code).toBe('0113');
    expect(c3(84).recommendations[0]?.code).toBe('0267');
  });

  it('recommends the final in course 2 once the 6th 0264 is counted, before 8 weeks', () => {
    const weekly = series('0264', '2025-02-10', [0, 7, 14, 21, 28]);
    const list = [consult('0110', '2025-02-03'), ...weekly, now('0264', '2025-03-17')];
    expect(evaluateCourse(course('recurrent', list), '2025-03-17').recommendations[0]).toMatchObject({ code: '0267', facts: { trigger: 'count' } });
  });

  it('takes the current consultation as the latest of its day', () => {
    const list = [consult('0110', '2025-02-03'), consult('0266', '2025-02-10', { id: 'z-0266' }), now('0113', '2025-02-10', { id: 'a-0113' })];
    expect(codes(evaluateCourse(course('persistent', list), '2025-02-10'))).toEqual(['0113', '0267']);
  });

  it('never recommends skipped earlier steps', () => {
    const list = [consult('0110', '2025-02-03'), now('0113', '2025-02-05')];
    expect(codes(evaluateCourse(course('persistent', list), '2025-02-05'))).toEqual(['0113', '0267']);
  });

  it('gives at most three ranked suggestions (final due, repeat, next step; the 0269 supplement falls off)', () => {
    const list = [consult('0110', '2025-02-03'), consult('0265', '2025-02-05'), now('0266', '2025-04-30')];
    const ev = evaluateCourse(course('persistent', list), '2025-04-30');
    expect(ev.recommendations.length).toBeLessThanOrEqual(3);
    expect(ev.recommendations.map((r) => r.rank)).toEqual(ev.recommendations.map((_, i) => i + 1));
    expect(codes(ev)).toEqual(['0267', '0266', '0113']);
    const earlier = evaluateCourse(course('persistent', [...list.slice(0, 2), now('0266', '2025-03-03')]), '2025-03-03');
    expect(codes(earlier)).toEqual(['0266', '0113', '0269']);
  });

  it('recommends nothing after the last follow-up, and nothing when switched off', () => {
    const list = [consult('0110', '2025-02-03'), consult('0267', '2025-04-01'), consult('0268', '2025-07-01'), now('0268', '2026-01-01')];
    expect(evaluateCourse(course('persistent', list), '2026-01-01').recommendations).toEqual([]);
    const off = parseCourseConfig({ rules: { 'next-consultation': false } });
    expect(evaluateCourse(course('persistent', [now('0110', '2025-02-03')]), '2025-02-03', off).recommendations).toEqual([]);
  });

  it('carries the progress facts the card shows', () => {
    const list = [consult('0110', '2025-02-03'), ...series('0266', '2025-02-03', [2, 4, 7, 9, 11]), now('0266', '2025-02-17')];
    const ev = evaluateCourse(course('persistent', list), '2025-02-17');
    expect(ev.progress.counts).toEqual({ '0110': 1, '0266': 6 });
    expect(ev.progress.facts).toMatchObject({
      limits: expect.arrayContaining([expect.objectContaining({ id: 'individual-training', codes: ['0266'], count: 6, max: 6, windowEnd: '2025-05-03' })]),
      finalDue: false, finalDueDate: '2025-04-28', currentStep: 'individual-training',
    });
  });
});
