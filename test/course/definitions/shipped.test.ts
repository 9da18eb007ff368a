import { describe, expect, it } from 'vitest';
import { activeDefinitions } from '../../../src/course/index.js';
import { SHIPPED_DEFINITIONS } from '../../../src/fhir/definitions/shipped.js';
import { DEFAULT_COURSE_CONFIG } from '../../support/engine.js';

/** The three low-back-pain courses as the engine reads them from fhir-resources/ (course-model.md). */
const d = SHIPPED_DEFINITIONS;
const course = (t: string) => d.courses.get(t)!;

describe('the shipped course definitions', () => {
  it('names every consultation code in Danish and English, with its mode, from the CodeSystem', () => {
    expect([...d.codes.keys()]).toEqual(['0110', '0113', '0261', '0262', '0263', '0264', '0265', '0266', '0267', '0268', '0269']);
    for (const c of d.codes.values()) {
      expect(c.name.da.length, c.code).toBeGreaterThan(0);
      expect(c.name.en.length, c.code).toBeGreaterThan(0);
    }
    expect(['0263', '0264'].map((c) => d.codes.get(c)?.mode)).toEqual(['group', 'group']);
    expect(d.codes.get('0266')?.mode).toBe('individual');
    expect(d.codes.get('0113')?.mode).toBe('none');
  });

  it('orders the steps of the three seed courses, preferred code first', () => {
    const order = (t: string) => course(t).steps.map((s) => s.codes[0]);
    expect([...d.courses.keys()]).toEqual(['self-training', 'recurrent', 'persistent']);
    expect(order('self-training')).toEqual(['0110', '0265', '0266', '0113', '0267', '0268']);
    expect(order('recurrent')).toEqual(['0110', '0263', '0266', '0264', '0267', '0268']);
    expect(order('persistent')).toEqual(['0110', '0265', '0266', '0113', '0267', '0268']);
    expect(course('recurrent').steps[1]).toMatchObject({ codes: ['0263', '0265'], exceptions: ['0265'], plan: { min: 1, max: 2 } });
    expect(course('persistent').steps[1]).toMatchObject({ codes: ['0265'], exceptions: ['0265'] });
    expect(course('recurrent').steps[2]).toMatchObject({ codes: ['0266'], supplements: ['0269'] });
    expect(course('self-training').steps[3]).toMatchObject({ codes: ['0113'], plan: { min: 1, max: null }, sharesDay: true });
    expect(course('recurrent').steps[0]).toMatchObject({ milestone: 'entry', companions: { '0262': '0110' } });
  });

  it('holds the defaults of course-model.md as data: limits with stable ids, milestones, final due, follow-up', () => {
    expect(course('recurrent').limits.map((l) => [l.id, l.rule, l.kind, l.max, l.windowMonths])).toEqual([
      ['education', 'education-limit', 'per-course', 2, undefined],
      ['individual-training', 'individual-training-limit', 'window', 6, 3],
      ['group-training-week', 'group-training-frequency', 'per-iso-week', 1, undefined],
      ['group-training-total', 'group-training-frequency', 'per-course', 6, undefined],
      ['follow-up', 'follow-up-timing', 'per-course', 2, undefined],
    ]);
    expect(course('self-training').milestones.entry).toEqual({ instruments: ['odi', 'nprs'], lookBackDays: 30 });
    for (const t of d.courses.keys()) {
      expect(course(t).milestones.final).toEqual({ instruments: ['odi', 'psfs'], lookBackDays: 14 });
      expect(course(t).followUp).toEqual({ targetMonths: [3, 9], toleranceDays: 28 });
    }
    expect(course('self-training').finalDue).toEqual({ afterDays: null, afterCount: { code: '0113', count: 1 } });
    expect(course('recurrent').finalDue).toEqual({ afterDays: 56, afterCount: { code: '0264', count: 6 } });
    expect(course('persistent').finalDue).toEqual({ afterDays: 84, afterCount: null });
  });

  it('shares the common steps for a course of unknown type: entry, education, final, follow-up', () => {
    expect(d.common.steps.filter((s) => s.recommendable).map((s) => s.id)).toEqual(['entry', 'education', 'final', 'follow-up']);
    expect(d.common.steps.find((s) => s.id === 'education')?.codes).toEqual(['0265', '0263']);
    expect(d.common.milestones.entry?.instruments).toEqual(['odi']);
    expect(d.common.finalDue).toEqual({ afterDays: null, afterCount: null });
  });

  it('reads the instruments from their Questionnaires: method, range, direction, thresholds', () => {
    expect([...d.instruments.keys()]).toEqual(['odi', 'psfs', 'nprs']);
    expect(d.instruments.get('odi')).toMatchObject({
      method: 'percent-of-max', min: 0, max: 100, higherIsBetter: false, minAnswered: 9, itemMax: 5, change: { points: 10, percent: 30 },
    });
    expect(d.instruments.get('odi')?.items).toHaveLength(10);
    expect(d.instruments.get('psfs')).toMatchObject({ method: 'mean-of-activities', higherIsBetter: true, decimals: 1, change: { points: 2 }, itemChangePoints: 3 });
    expect(d.instruments.get('nprs')).toMatchObject({ method: 'single-item', change: { points: 2, percent: 30 } });
  });

  it('exposes the active definitions through one function, as plain JSON', () => {
    const view = activeDefinitions(DEFAULT_COURSE_CONFIG);
    expect(view.courses.map((c) => c.type)).toEqual(['self-training', 'recurrent', 'persistent']);
    expect(view.courses[1]?.steps[1]?.codes.map((c) => [c.code, c.role])).toEqual([['0263', 'preferred'], ['0265', 'exception']]);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
