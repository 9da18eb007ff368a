import { describe, expect, it } from 'vitest';
import {
  CourseConfigError, DEFAULT_COURSE_CONFIG, RULE_IDS, courseConfigSchema, parseCourseConfig,
} from '../../src/course/index.js';
import { DEFAULT_CHANGE_THRESHOLDS } from '../../src/instruments/change.js';

describe('course configuration', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_COURSE_CONFIG).toMatchObject({
      education: { maxPerCourse: 2 },
      individualTraining: { maxCount: 6, windowMonths: 3, anchor: 'entry' },
      groupTraining: { maxCount: 6, maxPerIsoWeek: 1 },
      followUp: { maxCount: 2, targetMonths: [3, 9], toleranceDays: 28 },
      scores: { baselineLookBackDays: 30, finalLookBackDays: 14, followUpLookBackDays: 14, odiMinAnswered: 9 },
      finalDue: {
        'self-training': { afterDays: null, afterCount: { code: '0113', count: 1 } },
        recurrent: { afterDays: 56, afterCount: { code: '0264', count: 6 } },
        persistent: { afterDays: 84, afterCount: null },
      },
    });
    expect(DEFAULT_COURSE_CONFIG.scores.changeThresholds).toEqual(DEFAULT_CHANGE_THRESHOLDS);
    for (const id of RULE_IDS) expect(DEFAULT_COURSE_CONFIG.rules[id]).toBe(true);
  });

  it('returns the defaults for an empty or absent override', () => {
    expect(parseCourseConfig({})).toEqual(DEFAULT_COURSE_CONFIG);
    expect(parseCourseConfig(undefined)).toBe(DEFAULT_COURSE_CONFIG);
  });

  it('merges an override deeply, keeping the other defaults', () => {
    const config = parseCourseConfig({
      individualTraining: { maxCount: 8 },
      followUp: { targetMonths: [6] },
      scores: { changeThresholds: { odi: { points: 9 } } },
      finalDue: { persistent: { afterDays: 70 } },
      rules: { 'one-per-day': false },
    });
    expect(config.individualTraining).toEqual({ maxCount: 8, windowMonths: 3, anchor: 'entry' });
    expect(config.followUp.targetMonths).toEqual([6]);
    expect(config.scores.changeThresholds.odi).toEqual({ points: 9, percent: 30 });
    expect(config.scores.changeThresholds.psfs).toEqual({ points: 2 });
    expect(config.finalDue.persistent).toEqual({ afterDays: 70, afterCount: null });
    expect(config.rules['one-per-day']).toBe(false);
    expect(config.rules['course-entry']).toBe(true);
    expect(DEFAULT_COURSE_CONFIG.individualTraining.maxCount).toBe(6);
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
    expect(e.errors.length).toBe(6);
  });

  it('rejects a non-object override', () => {
    expect(() => parseCourseConfig([1, 2])).toThrow(CourseConfigError);
    expect(() => parseCourseConfig('strict')).toThrow(CourseConfigError);
  });

  it('publishes its JSON schema', () => {
    expect(courseConfigSchema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(courseConfigSchema.properties)).toEqual(Object.keys(DEFAULT_COURSE_CONFIG));
  });
});
