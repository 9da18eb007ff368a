import { describe, expect, it } from 'vitest';
import { mapCourse } from '../../../src/fhir/map/index.js';
import { input } from './bundle-input.js';
import { appointment, carePlan, encounter, episode, inEpisode, linkedTo, PATIENT, typed } from './builders.js';

const ids = (m: ReturnType<typeof mapCourse>) => (m.history?.consultations ?? []).map((c) => c.id).sort();

describe('finding the course', () => {
  it('takes the EpisodeOfCare the current Encounter references, even a finished one', () => {
    const m = mapCourse(input(PATIENT, {
      episodes: [episode('old', '2025-01-06', { status: 'finished', ...typed('persistent') }), episode('new', '2026-11-02', typed('recurrent'))],
      encounters: [
        encounter('a', '0110', '2025-01-06T09:00:00+01:00', inEpisode('old')),
        encounter('b', '0268', '2026-11-25T09:00:00+01:00', { status: 'arrived', ...inEpisode('old') }),
        encounter('c', '0110', '2026-11-02T09:00:00+01:00', inEpisode('new')),
      ],
    }, { hook: 'encounter-start', currentEncounterId: 'b' }));
    expect(m.episodeId).toBe('old');
    expect(m.history?.type).toBe('persistent');
    expect(ids(m)).toEqual(['a', 'b']);
    expect(m.history?.consultations.find((c) => c.id === 'b')?.current).toBe(true);
    expect(m.currentConsultationId).toBe('b');
  });

  it('counts consultations that reference no EpisodeOfCare and started inside the episode period', () => {
    const m = mapCourse(input(PATIENT, {
      episodes: [episode('e1', '2026-11-02', typed('recurrent'))],
      encounters: [
        encounter('before', '0266', '2026-10-20T09:00:00+02:00'),
        encounter('a', '0110', '2026-11-02T09:00:00+01:00'),
        encounter('b', '0266', '2026-11-10T09:00:00+01:00'),
        encounter('c', '0266', '2026-11-17T09:00:00+01:00', inEpisode('e1')),
      ],
    }, { requestInstant: '2026-11-25T12:00:00Z' }));
    expect(m.episodeId).toBe('e1');
    expect(ids(m)).toEqual(['a', 'b', 'c']);
  });

  it('never counts an unlinked consultation in two courses: the episode with the latest start before it wins', () => {
    const episodes = [
      episode('old', '2026-01-05', { status: 'finished', ...typed('persistent') }),
      episode('new', '2026-11-02', typed('recurrent')),
    ];
    const encounters = [
      encounter('x', '0110', '2026-01-05T09:00:00+01:00'),
      encounter('y', '0110', '2026-11-02T09:00:00+01:00'),
      encounter('z', '0266', '2026-11-09T09:00:00+01:00'),
    ];
    const now = mapCourse(input(PATIENT, { episodes, encounters }, { requestInstant: '2026-11-25T12:00:00Z' }));
    expect(now.episodeId).toBe('new');
    expect(ids(now)).toEqual(['y', 'z']);
    const earlier = mapCourse(input(PATIENT, { episodes: [
      episode('old', '2026-01-05', { ...typed('persistent') }), episodes[1]!,
    ], encounters }, { requestInstant: '2026-06-01T12:00:00Z' }));
    expect(earlier.episodeId).toBe('old');
    expect(ids(earlier)).toEqual(['x']);
  });

  it('otherwise takes the open EpisodeOfCare whose period holds the reference date, the latest started of several', () => {
    const m = mapCourse(input(PATIENT, {
      episodes: [
        episode('e1', '2026-10-01'),
        episode('e2', '2026-11-02', { status: 'onhold' }),
        episode('e3', '2026-11-20', { status: 'finished' }),
        episode('e4', '2026-12-01'),
        episode('e5', '2026-09-01', { period: { start: '2026-09-01', end: '2026-10-31' } }),
      ],
    }, { requestInstant: '2026-11-25T12:00:00Z' }));
    expect(m.episodeId).toBe('e2');
    expect(m.issues).toEqual([{ kind: 'multiple-episodes', facts: { count: 2 } }]);
    // An EpisodeOfCare with no consultations yet is still a course.
    expect(m.history).toEqual({
      consultations: [], scores: [], scoresAvailable: true, hasEpisode: true, episodeId: 'e2', episodeStart: '2026-11-02',
    });
  });

  it('otherwise splits the coded consultations at each 0110 or 0261, a 0262 joining the 0110 of its day', () => {
    const m = mapCourse(input(PATIENT, {
      encounters: [
        encounter('a', '0110', '2025-03-03T09:00:00+01:00'),
        encounter('b', '0267', '2025-05-01T09:00:00+02:00'),
        encounter('c', '0262', '2026-11-02T08:00:00+01:00'),
        encounter('d', '0110', '2026-11-02T09:00:00+01:00'),
        encounter('e', '0266', '2026-11-10T09:00:00+01:00'),
        encounter('f', '0261', '2026-12-10T09:00:00+01:00', { status: 'planned' }),
      ],
    }));
    expect(m.episodeId).toBeUndefined();
    expect(m.history?.hasEpisode).toBe(false);
    // The planned 0261 opens a course of its own (src/course's splitIntoCourses) that has not begun yet.
    expect(ids(m)).toEqual(['c', 'd', 'e']);
  });

  it('starts a new course at a 0261 and ignores a cancelled 0110 as an entry', () => {
    const m = mapCourse(input(PATIENT, {
      encounters: [
        encounter('a', '0110', '2026-09-01T09:00:00+02:00'),
        encounter('b', '0261', '2026-10-01T09:00:00+02:00'),
        encounter('c', '0110', '2026-11-01T09:00:00+01:00', { status: 'cancelled' }),
        encounter('d', '0266', '2026-11-05T09:00:00+01:00'),
      ],
    }));
    expect(ids(m)).toEqual(['b', 'c', 'd']);
  });

  it('gives no course when there is neither an episode nor a coded consultation', () => {
    const m = mapCourse(input(PATIENT, { encounters: [encounter('a', undefined, '2026-11-02T09:00:00+01:00')] }));
    expect(m.history).toBeUndefined();
    expect(m.issues).toEqual([]);
    expect(m.referenceDate).toBe('2026-11-25');
  });

  it('counts a coded Encounter that references no episode out of the course when it started outside the period', () => {
    const m = mapCourse(input(PATIENT, {
      episodes: [episode('e1', '2026-11-01', { period: { start: '2026-11-01', end: '2026-11-30' } })],
      encounters: [
        encounter('a', '0110', '2026-11-02T09:00:00+01:00', inEpisode('e1')),
        encounter('b', '0266', '2026-11-03T09:00:00+01:00'),
        encounter('c', '0266', '2026-12-03T09:00:00+01:00'),
        encounter('d', '0266', '2026-10-30T09:00:00+01:00'),
      ],
    }, { requestInstant: '2026-11-25T12:00:00Z' }));
    expect(ids(m)).toEqual(['a', 'b']);
  });
});

describe('the reference date', () => {
  it('is the current Encounter\'s local start date on encounter-start', () => {
    // 23:30 UTC on 30 November is 00:30 on 1 December in Copenhagen.
    const m = mapCourse(input(PATIENT, {
      encounters: [encounter('a', '0110', '2026-11-30T23:30:00Z')],
    }, { hook: 'encounter-start', currentEncounterId: 'a', requestInstant: '2026-11-30T23:31:00Z' }));
    expect(m.referenceDate).toBe('2026-12-01');
    expect(m.history?.consultations[0]).toMatchObject({ date: '2026-12-01', start: '2026-11-30T23:30:00.000Z', current: true });
  });

  it('is the request time when the starting Encounter has no start yet, which then becomes its start', () => {
    const m = mapCourse(input(PATIENT, {
      encounters: [encounter('a', '0110', undefined, { status: 'arrived' })],
    }, { hook: 'encounter-start', currentEncounterId: 'a', requestInstant: '2026-06-30T22:10:00Z' }));
    expect(m.referenceDate).toBe('2026-07-01');
    expect(m.history?.consultations[0]).toMatchObject({ id: 'a', date: '2026-07-01', current: true });
    expect(m.issues).toEqual([]);
  });

  it('is the request time, with a note, when the current Encounter is not in the data', () => {
    const m = mapCourse(input(PATIENT, {}, { hook: 'encounter-start', currentEncounterId: 'x', requestInstant: '2026-03-29T00:30:00Z' }));
    expect(m.referenceDate).toBe('2026-03-29');
    expect(m.issues).toEqual([{ kind: 'current-encounter-not-found', resource: 'Encounter/x' }]);
  });

  it('is the proposed Appointment\'s start on appointment-book, which joins the course as the current consultation', () => {
    const m = mapCourse(input(PATIENT, {
      episodes: [episode('e1', '2026-11-02', typed('self-training'))],
      encounters: [encounter('a', '0110', '2026-11-02T09:00:00+01:00', inEpisode('e1'))],
      appointments: [appointment('later', '0266', '2026-12-10T09:00:00+01:00', { status: 'booked' })],
    }, {
      hook: 'appointment-book',
      requestInstant: '2026-11-25T12:00:00Z',
      proposedAppointments: [appointment('p', '0265', '2026-12-01T09:00:00+01:00'), appointment('q', '0266', '2026-12-03T09:00:00+01:00')],
    }));
    expect(m.referenceDate).toBe('2026-12-01');
    expect(m.currentConsultationId).toBe('p');
    expect(m.history?.type).toBe('self-training');
    expect(m.history?.consultations.find((c) => c.id === 'p')).toEqual({
      id: 'p', code: '0265', date: '2026-12-01', start: '2026-12-01T08:00:00.000Z', status: 'proposed', current: true,
    });
    expect(m.history?.planned).toEqual([
      { id: 'later', code: '0266', date: '2026-12-10', start: '2026-12-10T08:00:00.000Z', status: 'booked' },
    ]);
  });

  it('ignores a proposed Appointment without a consultation code', () => {
    const m = mapCourse(input(PATIENT, {}, {
      hook: 'appointment-book',
      proposedAppointments: [{ ...appointment('p', '0265', '2026-12-01T09:00:00+01:00'), serviceType: [{ text: 'Massage' }] }],
    }));
    expect(m.history).toBeUndefined();
    expect(m.referenceDate).toBe('2026-11-25');
  });
});

describe('the course type', () => {
  const enc = encounter('a', '0110', '2026-11-02T09:00:00+01:00', inEpisode('e1'));

  it('comes from the CarePlan linked to the episode when the episode has no type, a version on the canonical or not', () => {
    const m = mapCourse(input(PATIENT, {
      episodes: [episode('e1', '2026-11-01')],
      encounters: [enc],
      carePlans: [carePlan('cp0', 'persistent', { status: 'completed', ...linkedTo('other') }), carePlan('cp1', 'recurrent', linkedTo('e1'))],
    }));
    expect(m.history?.type).toBe('recurrent');
    expect(m.issues).toEqual([]);
  });

  it('comes from any active CarePlan of the patient when none is linked', () => {
    const m = mapCourse(input(PATIENT, { encounters: [encounter('a', '0110', '2026-11-02T09:00:00+01:00')], carePlans: [carePlan('cp1', 'self-training')] }));
    expect(m.history?.type).toBe('self-training');
  });

  it('is the episode\'s when episode and plan disagree, with a note', () => {
    const m = mapCourse(input(PATIENT, {
      episodes: [episode('e1', '2026-11-01', typed('recurrent'))], encounters: [enc],
      carePlans: [carePlan('cp1', 'persistent', linkedTo('e1'))],
    }));
    expect(m.history?.type).toBe('recurrent');
    expect(m.issues.map((i) => i.kind)).toEqual(['course-type-conflict']);
  });

  it('is unknown, never guessed, when plans disagree or the code is not ours', () => {
    const conflicting = mapCourse(input(PATIENT, {
      episodes: [episode('e1', '2026-11-01', { type: [{ coding: [{ system: 'https://fhir.structured-course.dk/CodeSystem/course-type', code: 'acute' }] }] })],
      encounters: [enc],
      carePlans: [carePlan('cp1', 'persistent'), carePlan('cp2', 'recurrent')],
    }));
    expect(conflicting.history?.type).toBeUndefined();
    expect(conflicting.issues.map((i) => i.kind).sort()).toEqual(['course-type-conflict', 'unknown-course-type']);
  });
});

describe('patient references', () => {
  it('accepts Patient/<id>, an absolute URL ending in it, urn:uuid:<id> and a given alias', () => {
    const refs = ['Patient/p1', 'https://ehr.example/fhir/Patient/p1', 'urn:uuid:p1', 'urn:uuid:0f9a'];
    const m = mapCourse(input(PATIENT, {
      encounters: refs.map((r, i) => encounter(`e${i}`, '0266', `2026-11-1${i}T09:00:00+01:00`, { subject: { reference: r } })),
    }, { patientReferences: ['urn:uuid:0f9a'] }));
    expect(ids(m)).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(m.issues).toEqual([{ kind: 'absolute-reference', facts: { count: 1 } }]);
  });

  it('keeps a resource that names no patient, with a note, since it was fetched for this one', () => {
    const m = mapCourse(input(PATIENT, { encounters: [{ ...encounter('e1', '0110', '2026-11-02T09:00:00+01:00'), subject: undefined }] }));
    expect(ids(m)).toEqual(['e1']);
    expect(m.issues).toEqual([{ kind: 'missing-subject', resource: 'Encounter/e1' }]);
  });
});

describe('a course whose EpisodeOfCare is closed', () => {
  it('is found by splitting, then read from the one episode its consultations name, type included', () => {
    const m = mapCourse(input(PATIENT, {
      episodes: [episode('old', '2025-03-01', { status: 'finished', period: { start: '2025-03-01', end: '2025-06-01' }, ...typed('persistent') })],
      encounters: [
        encounter('a', '0110', '2025-03-03T09:00:00+01:00', inEpisode('old')),
        encounter('b', '0267', '2025-05-28T09:00:00+02:00', inEpisode('old')),
        encounter('c', '0268', '2025-08-28T09:00:00+02:00', inEpisode('old')),
      ],
    }));
    expect(m.episodeId).toBe('old');
    expect(m.history?.type).toBe('persistent');
    expect(ids(m)).toEqual(['a', 'b', 'c']);
  });
});
