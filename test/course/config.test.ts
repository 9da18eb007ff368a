import { describe, expect, it } from 'vitest';
import {
  CourseConfigError, RULE_IDS, courseConfigSchema,
} from '../../src/course/index.js';
import { DEFAULT_COURSE_CONFIG, parseCourseConfig } from '../support/engine.js';

const limit = (config: typeof DEFAULT_COURSE_CONFIG, type: string, id: string) =>
  config.definitions.courses.get(type)?.limits.find((l) => l.id === id);

describe('course configuration', () => {
  it('defaults to the shipped definitions with every rule on', () => {
    expect(limit(DEFAULT_COURSE_CONFIG, 'recurrent', 'individual-training')).toMatchObject({ max: 6, windowMonths: 3, anchor: 'entry' });
    for (const id of RULE_IDS) expect(DEFAULT_COURSE_CONFIG.rules[id]).toBe(true);
  });

  it('returns the defaults for an absent override and the same numbers for an empty one', () => {
    expect(parseCourseConfig(undefined)).toEqual(DEFAULT_COURSE_CONFIG);
    const empty = parseCourseConfig({});
    expect([...empty.definitions.courses.values()]).toEqual([...DEFAULT_COURSE_CONFIG.definitions.courses.values()]);
  });

  it('applies rule-wide overrides to every course and per-course overrides by limit id, keeping the rest', () => {
    const config = parseCourseConfig({
      individualTraining: { maxCount: 8 },
      followUp: { targetMonths: [6] },
      scores: { changeThresholds: { odi: { points: 9 } }, finalLookBackDays: 7 },
      finalDue: { persistent: { afterDays: 70 } },
      courses: { recurrent: { limits: { 'group-training-week': { max: 2 } }, followUp: { toleranceDays: 10 } } },
      instruments: { psfs: { itemChangePoints: 4 } },
      rules: { 'one-per-day': false },
    });
    for (const t of ['self-training', 'recurrent', 'persistent']) {
      expect(limit(config, t, 'individual-training')).toMatchObject({ max: 8, windowMonths: 3, anchor: 'entry' });
      expect(config.definitions.courses.get(t)?.milestones.final?.lookBackDays).toBe(7);
    }
    expect(limit(config, 'recurrent', 'group-training-week')?.max).toBe(2);
    expect(limit(config, 'recurrent', 'group-training-total')?.max).toBe(6);
    expect(config.definitions.courses.get('recurrent')?.followUp).toEqual({ targetMonths: [6], toleranceDays: 10 });
    expect(config.definitions.courses.get('persistent')?.followUp).toEqual({ targetMonths: [6], toleranceDays: 28 });
    expect(config.definitions.instruments.get('odi')?.change).toEqual({ points: 9, percent: 30 });
    expect(config.definitions.instruments.get('psfs')).toMatchObject({ change: { points: 2 }, itemChangePoints: 4 });
    expect(config.definitions.courses.get('persistent')?.finalDue).toEqual({ afterDays: 70, afterCount: null });
    expect(config.rules['one-per-day']).toBe(false);
    expect(config.rules['course-entry']).toBe(true);
    expect(limit(DEFAULT_COURSE_CONFIG, 'recurrent', 'individual-training')?.max).toBe(6);
  });

  it('lists every problem of an invalid override, with paths', () => {
    let error: unknown;
    try {
      parseCourseConfig({
        education: { maxPerCourse: -1 },
        individualTraining: { anchor: 'first-visit', windowMonths: 1.5 },
        followUp: { toleranceDays: 'four weeks' },
        rules: { 'no-such-rule': true },
        colour: 'blue',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CourseConfigError);
    const e = error as CourseConfigError;
    expect(e.name).toBe('CourseConfigError');
    expect(e.problems).toHaveLength(6);
    for (const path of ['/education/maxPerCourse', '/individualTraining/anchor', '/individualTraining/windowMonths',
      '/followUp/toleranceDays', '/rules', '/:']) {
      expect(e.message).toContain(path);
    }
    expect(e.message).toContain('no-such-rule');
    expect(e.message).toContain('colour');
  });

  it('names an unknown course type, limit id or instrument, listing what is known', () => {
    let error: unknown;
    try {
      parseCourseConfig({
        courses: { knee: { limits: {} }, recurrent: { limits: { 'no-such-limit': { max: 1 } } } },
        instruments: { koos: { minAnswered: 2 } },
      });
    } catch (e) {
      error = e;
    }
    const e = error as CourseConfigError;
    expect(e.problems).toHaveLength(3);
    expect(e.message).toContain('unknown course type "knee" (known: self-training, recurrent, persistent)');
    expect(e.message).toContain('unknown limit id "no-such-limit"');
    expect(e.message).toContain('unknown instrument "koos"');
  });

  it('rejects a non-object override', () => {
    expect(() => parseCourseConfig([1, 2])).toThrow(CourseConfigError);
    expect(() => parseCourseConfig('strict')).toThrow(CourseConfigError);
  });

  it('publishes its JSON schema', () => {
    expect(courseConfigSchema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(courseConfigSchema.properties)).toContain('courses');
  });
});
