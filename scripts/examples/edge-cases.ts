/**
 * One patient per rule that can be broken: each history is otherwise compliant (baseline scores present, type
 * recorded) and breaks its rule exactly once, with its last Encounter: the one that is starting ('arrived') on
 * the demo's today, Wednesday 2026-11-25.
 */
import type { RuleId } from '../../src/course/types.js';
import type { CourseSpec, PatientSpec, PersonSpec } from './spec.js';

type ActiveCourse = Omit<CourseSpec, 'idSuffix' | 'episode' | 'status'> & Partial<Pick<CourseSpec, 'idSuffix' | 'episode' | 'status'>>;

function edge(rule: RuleId, person: PersonSpec, ...courses: ActiveCourse[]): PatientSpec {
  return {
    key: `edge-${rule}`,
    prefix: `lbp-edge-${rule}`,
    person,
    courses: courses.map((c) => ({ idSuffix: '', episode: true, status: 'active', ...c })),
  };
}

export const EDGE_CASES: readonly PatientSpec[] = [
  edge('course-entry',
    { given: ['Søren'], family: 'Dam', gender: 'male', birthDate: '1979-06-03', cpr: '0306792501' },
    {
      type: 'recurrent', diagnosis: 'L03', onset: '2026-11-02',
      activities: ['Løfte kasser på arbejdet', 'Gå en tur med hunden', 'Spille fodbold med sønnen'],
      consultations: [
        { code: '0110', at: '2026-11-16 09:00' },
        { code: '0263', at: '2026-11-19 16:00' },
        // Should have been a 0261: a 0262 belongs on the day of the 0110.
        { code: '0262', at: '2026-11-25 09:00', status: 'arrived' },
      ],
      scores: [{ forVisit: 1, at: '2026-11-13 19:00', odi: 34, psfs: [4, 3, 3] }],
    }),

  edge('education-limit',
    { given: ['Anne', 'Marie'], family: 'Kristensen', gender: 'female', birthDate: '1963-01-22', cpr: '2201632500' },
    {
      type: 'recurrent', diagnosis: 'L03', onset: '2026-10-26',
      activities: ['Gå på indkøb', 'Passe børnebørn', 'Sove om natten'],
      consultations: [
        { code: '0110', at: '2026-11-09 10:00' },
        { code: '0263', at: '2026-11-12 16:00' },
        { code: '0263', at: '2026-11-19 16:00' },
        { code: '0263', at: '2026-11-25 16:00', status: 'arrived' },
      ],
      scores: [{ forVisit: 1, at: '2026-11-06 17:30', odi: 40, psfs: [2, 4, 3] }],
    }),

  edge('individual-education-exception',
    { given: ['Thomas'], family: 'Lund', gender: 'male', birthDate: '1985-05-17', cpr: '1705852501' },
    {
      type: 'recurrent', diagnosis: 'L84', onset: '2026-11-02',
      activities: ['Sidde i bil til arbejde', 'Spille badminton', 'Løfte datteren'],
      consultations: [
        { code: '0110', at: '2026-11-16 11:00' },
        { code: '0269', at: '2026-11-19 11:00' },
        { code: '0265', at: '2026-11-25 11:00', status: 'arrived' },
      ],
      scores: [{ forVisit: 1, at: '2026-11-14 10:00', odi: 28, psfs: [5, 4, 3] }],
    }),

  edge('individual-training-limit',
    { given: ['Camilla'], family: 'Nørgaard', gender: 'female', birthDate: '1990-09-09', cpr: '0909902500' },
    {
      type: 'persistent', diagnosis: 'L86', onset: '2026-06-15',
      activities: ['Arbejde ved skrivebord en hel dag', 'Gå tur i skoven', 'Dyrke yoga'],
      consultations: [
        { code: '0110', at: '2026-10-05 14:00' },
        { code: '0266', at: '2026-10-12 14:00' },
        { code: '0266', at: '2026-10-19 14:00' },
        { code: '0266', at: '2026-10-26 14:00' },
        { code: '0266', at: '2026-11-02 14:00' },
        { code: '0266', at: '2026-11-09 14:00' },
        { code: '0266', at: '2026-11-16 14:00' },
        { code: '0266', at: '2026-11-25 14:00', status: 'arrived' },
      ],
      scores: [{ forVisit: 1, at: '2026-10-02 18:00', odi: 42, psfs: [3, 2, 3] }],
    }),

  edge('group-training-frequency',
    { given: ['Henrik'], family: 'Bak', gender: 'male', birthDate: '1972-12-01', cpr: '0112722501' },
    {
      type: 'recurrent', diagnosis: 'L03', onset: '2026-10-19',
      activities: ['Løfte på lageret', 'Cykle til arbejde', 'Spille golf'],
      consultations: [
        { code: '0110', at: '2026-11-02 08:00' },
        { code: '0263', at: '2026-11-05 16:00' },
        { code: '0264', at: '2026-11-09 17:00' },
        { code: '0264', at: '2026-11-16 17:00' },
        { code: '0264', at: '2026-11-23 17:00' },
        { code: '0264', at: '2026-11-25 17:00', status: 'arrived' },
      ],
      scores: [{ forVisit: 1, at: '2026-10-30 20:00', odi: 30, psfs: [4, 4, 5] }],
    }),

  edge('one-per-day',
    { given: ['Pia'], family: 'Thomsen', gender: 'female', birthDate: '1981-03-30', cpr: '3003812500' },
    {
      type: 'recurrent', diagnosis: 'L03', onset: '2026-11-02',
      activities: ['Stå ved kassen en hel vagt', 'Gå en tur på 5 km', 'Tømme opvaskemaskinen'],
      consultations: [
        { code: '0110', at: '2026-11-16 09:00' },
        { code: '0263', at: '2026-11-19 16:00' },
        { code: '0266', at: '2026-11-25 09:00' },
        { code: '0269', at: '2026-11-25 14:00', status: 'arrived' },
      ],
      scores: [{ forVisit: 1, at: '2026-11-12 19:15', odi: 36, psfs: [3, 3, 4] }],
    }),

  edge('final-consultation',
    { given: ['Lars'], family: 'Kirkegaard', gender: 'male', birthDate: '1966-07-14', cpr: '1407662501' },
    {
      type: 'recurrent', diagnosis: 'L84', onset: '2026-09-07',
      activities: ['Arbejde på stillads', 'Gå på jagt', 'Sidde i bil i 2 timer'],
      consultations: [
        { code: '0110', at: '2026-09-21 09:00' },
        { code: '0263', at: '2026-09-24 16:00' },
        { code: '0266', at: '2026-09-28 09:00' },
        { code: '0264', at: '2026-10-08 17:00' },
        { code: '0264', at: '2026-10-15 17:00' },
        { code: '0264', at: '2026-10-22 17:00' },
        { code: '0264', at: '2026-10-29 17:00' },
        { code: '0267', at: '2026-11-16 09:00' },
        { code: '0266', at: '2026-11-25 09:00', status: 'arrived' },
      ],
      scores: [
        { forVisit: 1, at: '2026-09-18 18:00', odi: 38, psfs: [3, 2, 4] },
        { forVisit: 8, at: '2026-11-16 08:40', odi: 20, psfs: [7, 6, 7] },
      ],
    }),

  edge('follow-up-timing',
    { given: ['Mette'], family: 'Skov', gender: 'female', birthDate: '1977-10-04', cpr: '0410772500' },
    {
      type: 'recurrent', diagnosis: 'L03', onset: '2026-04-13',
      activities: ['Bære indkøb op på 3. sal', 'Spille håndbold', 'Sidde til møder'],
      consultations: [
        { code: '0110', at: '2026-04-27 10:00' },
        { code: '0263', at: '2026-04-30 16:00' },
        { code: '0266', at: '2026-05-04 10:00' },
        // No 0264 in the week of Ascension Day (14 May).
        { code: '0264', at: '2026-05-21 17:00' },
        { code: '0264', at: '2026-05-28 17:00' },
        { code: '0264', at: '2026-06-04 17:00' },
        { code: '0264', at: '2026-06-11 17:00' },
        { code: '0267', at: '2026-06-25 10:00' },
        { code: '0268', at: '2026-11-25 10:00', status: 'arrived' },
      ],
      scores: [
        { forVisit: 1, at: '2026-04-23 19:00', odi: 34, psfs: [4, 3, 3] },
        { forVisit: 8, at: '2026-06-25 09:40', odi: 16, psfs: [7, 7, 8] },
        { forVisit: 9, at: '2026-11-23 19:00', odi: 14, psfs: [8, 7, 8] },
      ],
    }),

  edge('missing-baseline-scores',
    { given: ['Rasmus'], family: 'Friis', gender: 'male', birthDate: '1983-02-11', cpr: '1102832501' },
    {
      idSuffix: '-2025', status: 'finished',
      type: 'self-training', diagnosis: 'L03', onset: '2025-04-21',
      activities: ['Løbe 10 km', 'Sidde i fly i 3 timer', 'Løfte sin søn'],
      consultations: [
        { code: '0110', at: '2025-05-05 15:00' },
        { code: '0265', at: '2025-05-12 15:00' },
        { code: '0266', at: '2025-05-19 15:00' },
        { code: '0113', at: '2025-05-26 15:00' },
        { code: '0267', at: '2025-06-02 15:00' },
      ],
      scores: [
        { forVisit: 1, at: '2025-05-02 20:00', odi: 26, nprs: 5 },
        { forVisit: 1, at: '2025-05-05 15:40', psfs: [5, 4, 6] },
        { forVisit: 5, at: '2025-06-02 14:45', odi: 10, psfs: [8, 8, 9], nprs: 2 },
      ],
    },
    {
      idSuffix: '-2026',
      type: 'recurrent', diagnosis: 'L84', onset: '2026-11-09',
      activities: ['Løbe 5 km', 'Bære sin søn', 'Sove på ryggen'],
      // The new course's entry is the current Encounter; only PSFS was answered before it.
      consultations: [{ code: '0110', at: '2026-11-25 15:00', status: 'arrived' }],
      scores: [{ forVisit: 1, at: '2026-11-23 18:30', psfs: [3, 4, 3] }],
    }),

  edge('missing-final-scores',
    { given: ['Sofie'], family: 'Winther', gender: 'female', birthDate: '1994-08-19', cpr: '1908942500' },
    {
      type: 'recurrent', diagnosis: 'L03', onset: '2026-09-14',
      activities: ['Træne crossfit', 'Sidde på forelæsning i 2 timer', 'Bære cykel op ad trappen'],
      consultations: [
        { code: '0110', at: '2026-09-28 12:00' },
        { code: '0263', at: '2026-10-01 16:00' },
        { code: '0266', at: '2026-10-05 12:00' },
        { code: '0264', at: '2026-10-15 17:00' },
        { code: '0264', at: '2026-10-22 17:00' },
        { code: '0264', at: '2026-10-29 17:00' },
        { code: '0264', at: '2026-11-05 17:00' },
        { code: '0264', at: '2026-11-12 17:00' },
        { code: '0264', at: '2026-11-19 17:00' },
        { code: '0267', at: '2026-11-25 12:00', status: 'arrived' },
      ],
      scores: [{ forVisit: 1, at: '2026-09-24 21:00', odi: 32, psfs: [4, 3, 4] }],
    }),

  edge('follow-up-scores',
    { given: ['Niels'], family: 'Juhl', gender: 'male', birthDate: '1958-03-06', cpr: '0603582501' },
    {
      type: 'recurrent', diagnosis: 'L84', onset: '2026-06-15',
      activities: ['Gå 18 huller golf', 'Arbejde i værkstedet', 'Løfte barnebarnet'],
      consultations: [
        { code: '0110', at: '2026-06-29 09:00' },
        { code: '0263', at: '2026-07-02 16:00' },
        { code: '0266', at: '2026-07-06 09:00' },
        { code: '0264', at: '2026-07-09 17:00' },
        { code: '0264', at: '2026-07-16 17:00' },
        { code: '0264', at: '2026-07-23 17:00' },
        { code: '0264', at: '2026-07-30 17:00' },
        { code: '0264', at: '2026-08-06 17:00' },
        { code: '0267', at: '2026-08-25 09:00' },
        { code: '0268', at: '2026-11-25 09:00', status: 'arrived' },
      ],
      scores: [
        { forVisit: 1, at: '2026-06-25 19:30', odi: 30, psfs: [4, 5, 3] },
        { forVisit: 9, at: '2026-08-25 08:40', odi: 14, psfs: [8, 8, 7] },
      ],
    }),

  edge('course-type-unknown',
    { given: ['Karen'], family: 'Brandt', gender: 'female', birthDate: '1960-11-28', cpr: '2811602500' },
    {
      diagnosis: 'L03', onset: '2026-11-02',
      activities: ['Gå en tur i byen', 'Arbejde i køkkenhaven', 'Rejse med tog'],
      consultations: [
        { code: '0110', at: '2026-11-16 13:00' },
        { code: '0265', at: '2026-11-19 13:00' },
        { code: '0266', at: '2026-11-25 13:00', status: 'arrived' },
      ],
      scores: [{ forVisit: 1, at: '2026-11-13 16:00', odi: 30, psfs: [4, 4, 3] }],
    }),
];
