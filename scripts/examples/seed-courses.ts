/**
 * The three courses of the seed document (seed-lbp-courses-da.txt) as complete, compliant timelines in 2025-2026.
 * The follow-ups sit exactly on the 3- and 9-month targets, or the nearest clinic day; every 0266 is inside the
 * three months after entry; every 0264 is in its own ISO week.
 */
import type { PatientSpec } from './spec.js';

/** Course 1: first episode, used to training; self-training at the clinic until the patient trains alone. */
export const COURSE_1: PatientSpec = {
  key: 'course-1-self-training',
  prefix: 'lbp-c1',
  person: { given: ['Mikkel', 'Holm'], family: 'Sørensen', gender: 'male', birthDate: '1987-08-20', cpr: '2008872501' },
  courses: [{
    idSuffix: '',
    type: 'self-training',
    episode: true,
    status: 'finished',
    diagnosis: 'L03',
    onset: '2025-08-25',
    activities: ['Sidde ved skrivebordet i 2 timer', 'Løbe 5 km', 'Løfte og bære indkøbsposer'],
    consultations: [
      { code: '0110', at: '2025-09-08 09:00' },
      { code: '0265', at: '2025-09-15 09:00' },
      { code: '0266', at: '2025-09-22 09:00' },
      { code: '0266', at: '2025-09-29 09:00' },
      { code: '0113', at: '2025-10-06 16:30' },
      { code: '0113', at: '2025-10-13 16:30' },
      { code: '0113', at: '2025-10-20 16:30' },
      { code: '0113', at: '2025-10-27 16:30' },
      { code: '0113', at: '2025-11-03 16:30' },
      { code: '0267', at: '2025-11-10 09:00' },
      { code: '0268', at: '2026-02-10 09:00' },
      { code: '0268', at: '2026-08-10 09:00' },
    ],
    scores: [
      // ODI and NPRS at home before the first consultation; the PSFS goals are set during it.
      { forVisit: 1, at: '2025-09-05 19:30', odi: 32, nprs: 6 },
      { forVisit: 1, at: '2025-09-08 09:40', psfs: [4, 2, 5] },
      { forVisit: 10, at: '2025-11-10 08:45', odi: 12, psfs: [8, 7, 9], nprs: 2 },
      { forVisit: 11, at: '2026-02-09 20:00', odi: 8, psfs: [9, 8, 9], nprs: 1 },
      { forVisit: 12, at: '2026-08-07 18:15', odi: 6, psfs: [9, 9, 10], nprs: 1 },
    ],
  }],
};

/** Course 2: third episode in 1.5 years; group education, individual training, then weekly group training. */
export const COURSE_2: PatientSpec = {
  key: 'course-2-recurrent',
  prefix: 'lbp-c2',
  person: { given: ['Hanne', 'Lykke'], family: 'Madsen', gender: 'female', birthDate: '1975-09-15', cpr: '1509752500' },
  courses: [{
    idSuffix: '',
    type: 'recurrent',
    episode: true,
    status: 'finished',
    diagnosis: 'L84',
    onset: '2025-09-22',
    activities: ['Gå en tur på 30 minutter', 'Arbejde i haven', 'Sove en nat uden at vågne af smerter', 'Køre bil i en time'],
    consultations: [
      { code: '0110', at: '2025-10-06 10:00' },
      { code: '0263', at: '2025-10-09 16:00' },
      { code: '0266', at: '2025-10-13 10:00' },
      { code: '0269', at: '2025-10-16 10:00' },
      { code: '0266', at: '2025-10-20 10:00' },
      { code: '0266', at: '2025-10-23 10:00' },
      { code: '0264', at: '2025-10-27 17:00' },
      { code: '0264', at: '2025-11-03 17:00' },
      { code: '0264', at: '2025-11-10 17:00' },
      { code: '0264', at: '2025-11-17 17:00' },
      { code: '0264', at: '2025-11-24 17:00' },
      { code: '0264', at: '2025-12-01 17:00' },
      { code: '0267', at: '2025-12-04 10:00' },
      { code: '0268', at: '2026-03-04 10:00' },
      { code: '0268', at: '2026-09-04 10:00' },
    ],
    scores: [
      { forVisit: 1, at: '2025-10-02 20:15', odi: 38, psfs: [3, 2, 4, 4] },
      { forVisit: 13, at: '2025-12-04 09:40', odi: 18, psfs: [7, 6, 8, 7] },
      { forVisit: 14, at: '2026-03-02 19:00', odi: 14, psfs: [8, 7, 8, 8] },
      // A small relapse at nine months: still well below the baseline.
      { forVisit: 15, at: '2026-09-04 09:45', odi: 16, psfs: [8, 7, 9, 7] },
    ],
  }],
};

/** Course 3: pain for more than 12 weeks, fear-avoidance, not suited for groups; a 12-week individual course. */
export const COURSE_3: PatientSpec = {
  key: 'course-3-persistent',
  prefix: 'lbp-c3',
  person: { given: ['Louise', 'Bech'], family: 'Andersen', gender: 'female', birthDate: '1982-11-05', cpr: '0511822500' },
  courses: [{
    idSuffix: '',
    type: 'persistent',
    episode: true,
    status: 'finished',
    diagnosis: 'L84',
    onset: '2025-07-01',
    activities: ['Stå og lave mad i 30 minutter', 'Arbejde en hel dag', 'Lege med børnene'],
    odiSkipsSexLife: true,
    consultations: [
      { code: '0110', at: '2025-11-11 13:00' },
      { code: '0265', at: '2025-11-18 13:00' },
      { code: '0266', at: '2025-11-25 13:00' },
      { code: '0266', at: '2025-12-02 13:00' },
      { code: '0266', at: '2025-12-09 13:00' },
      { code: '0266', at: '2025-12-16 13:00' },
      { code: '0266', at: '2026-01-06 13:00' },
      { code: '0266', at: '2026-01-13 13:00' },
      { code: '0269', at: '2026-01-16 13:00' },
      { code: '0113', at: '2026-01-20 13:00' },
      { code: '0113', at: '2026-01-23 13:00' },
      { code: '0113', at: '2026-01-27 13:00' },
      { code: '0113', at: '2026-01-30 13:00' },
      { code: '0267', at: '2026-02-03 13:00' },
      // 3 months after the 0267 is Sunday 3 May: the nearest clinic day.
      { code: '0268', at: '2026-05-04 13:00' },
      { code: '0268', at: '2026-11-03 13:00' },
    ],
    scores: [
      { forVisit: 1, at: '2025-11-09 20:30', odi: 44, psfs: [2, 3, 2], nprs: 7 },
      { forVisit: 14, at: '2026-02-03 12:45', odi: 24, psfs: [6, 6, 7], nprs: 4 },
      { forVisit: 15, at: '2026-05-01 19:00', odi: 20, psfs: [7, 7, 7], nprs: 3 },
      { forVisit: 16, at: '2026-11-03 12:40', odi: 18, psfs: [7, 8, 8], nprs: 3 },
    ],
  }],
};
