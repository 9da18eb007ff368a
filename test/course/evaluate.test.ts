import { describe, expect, it } from 'vitest';
import {
  addDays, InvalidReferenceDateError, type Consultation, type ConsultationStatus,
} from '../../src/course/index.js';
import { allScores, consult, course, now } from './builders.js';
import { evaluateCourse, splitIntoCourses } from '../support/engine.js';

describe('counting consultations', () => {
  const entry = consult('0110', '2025-02-03');

  it('counts arrived, triaged, in-progress, onleave and finished consultations on or before the reference date', () => {
    const counted: ConsultationStatus[] = ['arrived', 'triaged', 'in-progress', 'onleave', 'finished'];
    const notCounted: ConsultationStatus[] = ['planned', 'cancelled', 'entered-in-error', 'unknown', 'proposed', 'booked'];
    const list = [entry, ...[...counted, ...notCounted].map((status, i) => consult('0113', addDays('2025-02-04', i), { status }))];
    const ev = evaluateCourse(course('persistent', list), '2025-03-01');
    expect(ev.progress.counts['0113']).toBe(counted.length);
  });

  it('does not count a held consultation dated after the reference date', () => {
    const ev = evaluateCourse(course('persistent', [entry, consult('0266', '2025-02-10')]), '2025-02-09');
    expect(ev.progress.counts['0266']).toBeUndefined();
  });

  it('counts the current consultation whatever its status and date, unless cancelled or entered-in-error', () => {
    const proposed = { ...consult('0266', '2025-02-12', { status: 'proposed' }), current: true };
    expect(evaluateCourse(course('persistent', [entry, proposed]), '2025-02-10').progress.counts['0266']).toBe(1);
    for (const status of ['cancelled', 'entered-in-error'] as const) {
      const voided = { ...consult('0266', '2025-02-10', { status }), current: true };
      expect(evaluateCourse(course('persistent', [entry, voided]), '2025-02-10').progress.counts['0266']).toBeUndefined();
    }
  });

  it('finds no course without consultations or episode, and none from cancelled consultations alone', () => {
    expect(evaluateCourse(course('recurrent', []), '2025-02-03')).toMatchObject({
      hasCourse: false, findings: [], recommendations: [],
    });
    const cancelled = evaluateCourse(course(undefined, [consult('0110', '2025-02-03', { status: 'cancelled' })]), '2025-02-03');
    expect(cancelled).toMatchObject({ hasCourse: false, findings: [], recommendations: [] });
  });

  it('finds a course from a planned consultation or an episode', () => {
    expect(evaluateCourse(course('recurrent', [consult('0110', '2025-02-10', { status: 'booked' })]), '2025-02-03').hasCourse).toBe(true);
    expect(evaluateCourse(course('recurrent', [], [], { episodeStart: '2025-02-01' }), '2025-02-03').hasCourse).toBe(true);
  });

  it('anchors windows at the episode start when the course has no entry yet', () => {
    const ev = evaluateCourse(course('persistent', [now('0266', '2025-02-10')], [], { hasEpisode: true, episodeStart: '2025-02-01' }), '2025-02-10');
    expect(ev.progress.facts).toMatchObject({ anchorSource: 'episode-start', limits: expect.arrayContaining([expect.objectContaining({ id: 'individual-training', windowEnd: '2025-05-01' })]) });
  });

  it('skips unsound records as data-quality issues instead of throwing', () => {
    const bad = [
      { id: 'x1', code: '9999', date: '2025-02-03', status: 'finished' },
      { id: 'x2', code: '0266', date: '03/02/2025', status: 'finished' },
    ] as unknown as Consultation[];
    const scores = [{ id: 's1', instrument: 'odi' as const, date: '2025-02-01', value: Number.NaN }];
    const ev = evaluateCourse(course('persistent', [entry, ...bad], scores), '2025-02-03');
    expect(ev.dataQuality?.map((i) => [i.recordId, i.code])).toEqual([
      ['x1', 'unknown-code'], ['x2', 'invalid-date'], ['s1', 'invalid-value'],
    ]);
    expect(ev.progress.counts).toEqual({ '0110': 1 });
  });

  it('refuses a reference date that is not a local date', () => {
    expect(() => evaluateCourse(course('persistent', [entry]), '2025-02-03T10:00:00Z')).toThrow(InvalidReferenceDateError);
  });

  // Its speed is measured by `npm run bench` (the scale run), never asserted in a test.
  it('evaluates a 1,000-consultation history, counting every consultation and flagging the limits it breaks', () => {
    const list: Consultation[] = [consult('0110', '2020-01-06')];
    const codes = ['0266', '0264', '0113', '0265', '0269', '0268'] as const;
    for (let i = 1; i < 1000; i += 1) list.push(consult(codes[i % codes.length] ?? '0113', addDays('2020-01-06', i)));
    list.push(now('0267', addDays('2020-01-06', 1000)));
    const scores = Array.from({ length: 300 }, (_, i) => allScores(addDays('2020-01-01', i * 3))).flat();
    const result = evaluateCourse(course('recurrent', list, scores), addDays('2020-01-06', 1000));
    const counted = Object.values(result.progress.counts).reduce((sum: number, n) => sum + (n ?? 0), 0);
    expect(counted).toBe(1001);
    const rules = new Set(result.findings.map((f) => f.ruleId));
    expect(rules).toContain('individual-training-limit');
    expect(rules).toContain('education-limit');
    expect(rules).toContain('follow-up-timing');
  });
});

describe('splitIntoCourses', () => {
  it('splits at each 0110 or 0261', () => {
    const a = [consult('0110', '2024-01-10'), consult('0265', '2024-01-12')];
    const b = [consult('0261', '2024-06-01'), consult('0266', '2024-06-05')];
    const c = [consult('0110', '2025-01-10'), consult('0267', '2025-03-01')];
    expect(splitIntoCourses([...c, ...a, ...b])).toEqual([a, b, c]);
  });

  it('joins a 0262 to the 0110 of its day, whichever sorts first', () => {
    const c262 = consult('0262', '2025-01-10', { id: 'a-0262' });
    const c110 = consult('0110', '2025-01-10', { id: 'b-0110' });
    const before = consult('0266', '2024-12-01');
    expect(splitIntoCourses([c110, c262, before])).toEqual([[before], [c262, c110]]);
  });

  it('keeps a 0262 without a same-day 0110 in the running course', () => {
    const c110 = consult('0110', '2025-01-10');
    const orphan = consult('0262', '2025-01-12');
    expect(splitIntoCourses([orphan, c110])).toEqual([[c110, orphan]]);
  });

  it('never opens a course at a cancelled 0110', () => {
    const c110 = consult('0110', '2025-01-10');
    const cancelled = consult('0110', '2025-02-10', { status: 'cancelled' });
    expect(splitIntoCourses([c110, cancelled])).toEqual([[c110, cancelled]]);
  });
});

describe('planned appointments', () => {
  it('are listed in the progress facts and never counted', () => {
    const planned = [consult('0266', '2025-02-20', { status: 'booked', id: 'apt-2' }), consult('0266', '2025-02-13', { status: 'booked', id: 'apt-1' })];
    const ev = evaluateCourse(course('persistent', [now('0110', '2025-02-03')], [], { planned }), '2025-02-03');
    expect(ev.progress.counts).toEqual({ '0110': 1 });
    expect(ev.progress.facts.planned).toEqual([
      { id: 'apt-1', code: '0266', date: '2025-02-13', status: 'booked' },
      { id: 'apt-2', code: '0266', date: '2025-02-20', status: 'booked' },
    ]);
  });
});
