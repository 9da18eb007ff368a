import { describe, expect, it } from 'vitest';
import {
  COMMON_STEPS, CONSULTATION_CATALOGUE, CONSULTATION_CODES, COURSE_TYPE_DEFINITIONS, COURSE_TYPES, isIndividual,
} from '../../src/course/index.js';

describe('consultation catalogue', () => {
  it('names every consultation code in Danish and English', () => {
    for (const code of CONSULTATION_CODES) {
      expect(CONSULTATION_CATALOGUE[code].code).toBe(code);
      expect(CONSULTATION_CATALOGUE[code].nameDa.length).toBeGreaterThan(0);
      expect(CONSULTATION_CATALOGUE[code].nameEn.length).toBeGreaterThan(0);
    }
  });

  it('marks group consultations and the self-training role', () => {
    expect(['0263', '0264'].every((c) => !isIndividual(c as '0263'))).toBe(true);
    expect(isIndividual('0266')).toBe(true);
    expect(CONSULTATION_CATALOGUE['0113'].role).toBe('self-training');
    expect(CONSULTATION_CATALOGUE['0269'].role).toBe('supplement');
  });
});

describe('course types', () => {
  it('orders the steps of the three seed courses', () => {
    const order = (t: keyof typeof COURSE_TYPE_DEFINITIONS) => COURSE_TYPE_DEFINITIONS[t].steps.map((s) => s.codes[0]);
    expect(order('self-training')).toEqual(['0110', '0265', '0266', '0113', '0267', '0268']);
    expect(order('recurrent')).toEqual(['0110', '0263', '0266', '0264', '0267', '0268']);
    expect(order('persistent')).toEqual(['0110', '0265', '0266', '0113', '0267', '0268']);
    expect(COURSE_TYPE_DEFINITIONS.recurrent.expectedLengthDays).toBe(56);
    expect(COURSE_TYPE_DEFINITIONS.persistent.expectedLengthDays).toBe(84);
    for (const t of COURSE_TYPES) expect(COURSE_TYPE_DEFINITIONS[t].finalInstruments).toEqual(['odi', 'psfs']);
    expect(COMMON_STEPS.map((s) => s.id)).toEqual(['entry', 'education', 'individual-training', 'final', 'follow-up']);
  });
});
