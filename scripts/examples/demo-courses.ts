/**
 * The demo's "today" patients (today = Wednesday 2026-11-25): a compliant course 2 in progress, the main
 * encounter-start demo, and a patient whose courses exist only as coded Encounters.
 */
import type { PatientSpec } from './spec.js';

export const COURSE_2_MID: PatientSpec = {
  key: 'course-2-mid-course',
  prefix: 'lbp-c2mid',
  person: { given: ['Jens', 'Peter'], family: 'Vestergaard', gender: 'male', birthDate: '1970-04-12', cpr: '1204702501' },
  courses: [{
    idSuffix: '',
    type: 'recurrent',
    episode: true,
    status: 'active',
    diagnosis: 'L03',
    onset: '2026-10-19',
    activities: ['Bære brænde ind', 'Cykle til arbejde (8 km)', 'Binde snørebånd'],
    consultations: [
      { code: '0110', at: '2026-11-02 10:00' },
      { code: '0263', at: '2026-11-05 16:00' },
      { code: '0266', at: '2026-11-09 10:00' },
      { code: '0266', at: '2026-11-16 10:00' },
      { code: '0269', at: '2026-11-19 10:00' },
      { code: '0266', at: '2026-11-25 10:00', status: 'arrived' },
    ],
    scores: [{ forVisit: 1, at: '2026-10-29 19:45', odi: 36, psfs: [3, 4, 2] }],
  }],
};

/** No EpisodeOfCare, no CarePlan: the service must split the coded Encounters into courses at each 0110. */
export const NO_EPISODE: PatientSpec = {
  key: 'no-episode',
  prefix: 'lbp-noepisode',
  person: { given: ['Birgitte'], family: 'Rasmussen', gender: 'female', birthDate: '1968-02-27', cpr: '2702682500' },
  courses: [
    {
      idSuffix: '-2025',
      episode: false,
      status: 'finished',
      diagnosis: 'L03',
      onset: '2025-02-17',
      activities: ['Gå ned ad trapper', 'Støvsuge', 'Sidde i biografen'],
      consultations: [
        { code: '0110', at: '2025-03-03 08:30' },
        { code: '0263', at: '2025-03-06 16:00' },
        { code: '0266', at: '2025-03-10 08:30' },
        { code: '0264', at: '2025-03-17 17:00' },
        { code: '0264', at: '2025-03-24 17:00' },
        { code: '0264', at: '2025-03-31 17:00' },
        { code: '0264', at: '2025-04-07 17:00' },
        { code: '0267', at: '2025-04-28 08:30' },
      ],
      scores: [
        { forVisit: 1, at: '2025-02-27 18:30', odi: 30, psfs: [4, 3, 5] },
        { forVisit: 8, at: '2025-04-28 08:15', odi: 14, psfs: [7, 7, 8] },
      ],
    },
    {
      idSuffix: '-2026',
      episode: false,
      status: 'active',
      diagnosis: 'L03',
      onset: '2026-11-02',
      activities: ['Gå ned ad trapper', 'Arbejde ved computeren i 2 timer', 'Cykle en tur på 10 km'],
      consultations: [
        { code: '0110', at: '2026-11-16 08:30' },
        { code: '0263', at: '2026-11-19 16:00' },
        { code: '0266', at: '2026-11-25 08:30', status: 'arrived' },
      ],
      scores: [{ forVisit: 1, at: '2026-11-13 18:00', odi: 34, psfs: [3, 4, 3] }],
    },
  ],
};
