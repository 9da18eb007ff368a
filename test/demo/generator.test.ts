import { describe, expect, it } from 'vitest';
import { copenhagenOffset, toFhirDateTime, isClinicDay, InvalidExampleTimeError } from '../../scripts/examples/copenhagen-time.js';
import { deterministicUuid, fullUrlOf } from '../../scripts/examples/ids.js';
import { buildPatientBundle, InvalidExampleSpecError } from '../../scripts/examples/patient-bundle.js';
import { odiAnswersFor, odiPercent } from '../../scripts/examples/scores.js';
import { COURSE_2_MID } from '../../scripts/examples/demo-courses.js';
import type { PatientSpec } from '../../scripts/examples/spec.js';

function intlOffset(instant: Date): string {
  const name = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Copenhagen', timeZoneName: 'longOffset' })
    .formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return name.replace('GMT', '');
}

describe('the Copenhagen offset of the generator', () => {
  it('agrees with Intl at 10:00 on every day from 2025 to 2027', () => {
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const instant = toFhirDateTime(`${date} 10:00`);
      expect(copenhagenOffset(`${date} 10:00`), date).toBe(intlOffset(new Date(instant)));
    }
  });

  it('switches on the last Sundays of March and October', () => {
    expect(toFhirDateTime('2026-03-28 12:00')).toBe('2026-03-28T12:00:00+01:00');
    expect(toFhirDateTime('2026-03-29 12:00')).toBe('2026-03-29T12:00:00+02:00');
    expect(toFhirDateTime('2026-10-24 12:00')).toBe('2026-10-24T12:00:00+02:00');
    expect(toFhirDateTime('2026-10-25 12:00')).toBe('2026-10-25T12:00:00+01:00');
  });

  it('refuses night hours, where the switch makes local times ambiguous', () => {
    expect(() => copenhagenOffset('2026-10-25 02:30')).toThrow(InvalidExampleTimeError);
  });

  it('treats weekends and Danish public holidays as closed', () => {
    expect(isClinicDay('2026-11-25')).toBe(true);
    expect(isClinicDay('2026-11-28')).toBe(false);
    expect(isClinicDay('2026-05-14')).toBe(false);
  });
});

describe('the fullUrls of the generator', () => {
  it('are version-5 layout UUIDs that depend only on the resource type and id', () => {
    expect(deterministicUuid('Patient/a')).toBe(deterministicUuid('Patient/a'));
    expect(deterministicUuid('Patient/a')).not.toBe(deterministicUuid('Patient/b'));
    expect(fullUrlOf('Patient', 'a')).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fullUrlOf('Patient', 'a')).not.toBe(fullUrlOf('Encounter', 'a'));
  });
});

describe('the ODI answers of the generator', () => {
  it('score to the target percent within half a point of one section, with answers 0-5', () => {
    for (let target = 0; target <= 100; target += 2) {
      for (const skip of [false, true]) {
        const answers = odiAnswersFor(target, skip);
        for (const a of answers.filter((x) => x !== undefined)) expect(a >= 0 && a <= 5).toBe(true);
        expect(answers.filter((a) => a === undefined)).toHaveLength(skip ? 1 : 0);
        expect(Math.abs(odiPercent(answers) - target)).toBeLessThanOrEqual(100 / (5 * (skip ? 9 : 10)) / 2 + 1e-9);
      }
    }
  });
});

describe('the spec checks of the generator', () => {
  const withPerson = (cpr: string): PatientSpec => ({ ...COURSE_2_MID, person: { ...COURSE_2_MID.person, cpr } });

  it('refuses a CPR number that passes modulus 11 and could therefore be real', () => {
    const weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
    const valid = Array.from({ length: 1000 }, (_, s) => `120470${String(s).padStart(4, '0')}`)
      .find((c) => Number(c[9]) % 2 === 1 && c.split('').reduce((sum, d, i) => sum + Number(d) * (weights[i] ?? 0), 0) % 11 === 0);
    expect(valid).toBeDefined();
    expect(() => buildPatientBundle(withPerson(valid as string))).toThrow(InvalidExampleSpecError);
  });

  it('refuses a consultation on a Saturday', () => {
    const [course] = COURSE_2_MID.courses;
    if (!course) throw new Error('no course');
    const spec: PatientSpec = {
      ...COURSE_2_MID,
      courses: [{ ...course, consultations: [...course.consultations, { code: '0266', at: '2026-11-28 10:00' }] }],
    };
    expect(() => buildPatientBundle(spec)).toThrow(/not a clinic day/);
  });

  it('refuses PSFS ratings that do not match the course\'s activities', () => {
    const [course] = COURSE_2_MID.courses;
    if (!course) throw new Error('no course');
    const spec: PatientSpec = { ...COURSE_2_MID, courses: [{ ...course, scores: [{ forVisit: 1, at: '2026-10-29 19:45', psfs: [1, 2] }] }] };
    expect(() => buildPatientBundle(spec)).toThrow(InvalidExampleSpecError);
  });
});
