/**
 * Turns one PatientSpec into a transaction Bundle: PUT requests with stable ids, `urn:uuid:` fullUrls derived from
 * those ids, and relative `Type/id` references that all resolve inside the Bundle. Referenced resources come before
 * the resources that reference them, so even a naive loader can apply the entries in order.
 */
import type {
  Bundle, BundleEntry, CarePlan, Condition, Encounter, EpisodeOfCare, Goal, Patient, Reference, Resource,
} from 'fhir/r4.js';
import { CodeSystemUrl, ExternalSystem, PlanDefinitionUrl } from '../../src/canonical.js';
import { addMinutes, isClinicDay, localDateOf, toFhirDateTime, type LocalDateTime } from './copenhagen-time.js';
import { EXAMPLE_ID, fullUrlOf, ref, seq } from './ids.js';
import { nprsScore, odiAnswersFor, odiScore, psfsScore, type ScorePair } from './scores.js';
import {
  CONSULTATION_DISPLAY, COURSE_TYPE_DISPLAY, DEFAULT_MINUTES,
  type ConsultationSpec, type CourseSpec, type IcpcCode, type PatientSpec, type PersonSpec,
} from './spec.js';

export class InvalidExampleSpecError extends Error {
  override readonly name = 'InvalidExampleSpecError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const ICPC_DISPLAY: Readonly<Record<IcpcCode, string>> = {
  L03: 'Low back symptom/complaint',
  L84: 'Back syndrome without radiating pain',
  L86: 'Back syndrome with radiating pain',
};

const CPR_WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1] as const;

/** A CPR number passing modulus 11 could belong to a real person born before 2007; ours must not. */
function checkFictitiousCpr(person: PersonSpec): void {
  const digits = person.cpr.split('').map(Number);
  if (!/^\d{10}$/.test(person.cpr)) throw new InvalidExampleSpecError('CPR must be 10 digits');
  const sum = digits.reduce((s, d, i) => s + d * (CPR_WEIGHTS[i] ?? 0), 0);
  if (sum % 11 === 0) throw new InvalidExampleSpecError(`CPR of ${person.family} passes modulus 11; pick another serial`);
  const [yyyy, mm, dd] = person.birthDate.split('-');
  if (person.cpr.slice(0, 6) !== `${dd}${mm}${yyyy?.slice(2)}`) {
    throw new InvalidExampleSpecError(`CPR of ${person.family} does not start with the birth date`);
  }
  const odd = (digits[9] ?? 0) % 2 === 1;
  if (odd !== (person.gender === 'male')) throw new InvalidExampleSpecError(`CPR of ${person.family} has the wrong gender digit`);
}

function patientResource(id: string, person: PersonSpec): Patient {
  checkFictitiousCpr(person);
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: ExternalSystem.cpr, value: person.cpr }],
    active: true,
    name: [{ use: 'official', family: person.family, given: [...person.given] }],
    gender: person.gender,
    birthDate: person.birthDate,
  };
}

interface CourseIds {
  readonly condition: string;
  readonly episode: string;
  readonly carePlan: string;
  goal(n: number): string;
}

function courseIds(prefix: string, course: CourseSpec): CourseIds {
  const s = course.idSuffix;
  return {
    condition: `${prefix}-condition${s}`,
    episode: `${prefix}-episode${s}`,
    carePlan: `${prefix}-careplan${s}`,
    goal: (n) => `${prefix}-goal${s}-${n}`,
  };
}

function conditionResource(id: string, patient: Reference, course: CourseSpec): Condition {
  return {
    resourceType: 'Condition',
    id,
    clinicalStatus: {
      coding: [{
        system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
        code: course.status === 'active' ? 'active' : 'resolved',
      }],
    },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
    },
    category: [{
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }],
    }],
    code: {
      coding: [
        { system: ExternalSystem.icpc2, code: course.diagnosis, display: ICPC_DISPLAY[course.diagnosis] },
        { system: ExternalSystem.snomed, code: '279039007', display: 'Low back pain' },
      ],
      text: 'Primære smerter i lænderyggen',
    },
    subject: patient,
    onsetDateTime: course.onset,
  };
}

interface PlacedConsultation {
  readonly course: CourseSpec;
  readonly spec: ConsultationSpec;
  readonly visit: number;
  id: string;
}

function encounterResource(id: string, patient: Reference, c: PlacedConsultation, episode?: Reference): Encounter {
  const status = c.spec.status ?? 'finished';
  const minutes = c.spec.minutes ?? DEFAULT_MINUTES[c.spec.code] ?? 30;
  return {
    resourceType: 'Encounter',
    id,
    status,
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ coding: [{ system: CodeSystemUrl.consultation, code: c.spec.code, display: CONSULTATION_DISPLAY[c.spec.code] ?? c.spec.code }] }],
    subject: patient,
    ...(episode ? { episodeOfCare: [episode] } : {}),
    period: status === 'finished'
      ? { start: toFhirDateTime(c.spec.at), end: toFhirDateTime(addMinutes(c.spec.at, minutes)) }
      : { start: toFhirDateTime(c.spec.at) },
  };
}

function coursePeriod(course: CourseSpec): { start: string; end?: string } {
  const dates = course.consultations.map((c) => localDateOf(c.at)).sort();
  const start = dates[0] ?? course.onset;
  return course.status === 'finished' ? { start, end: dates[dates.length - 1] ?? start } : { start };
}

function episodeResource(id: string, patient: Reference, ids: CourseIds, course: CourseSpec): EpisodeOfCare {
  return {
    resourceType: 'EpisodeOfCare',
    id,
    status: course.status,
    ...(course.type
      ? { type: [{ coding: [{ system: CodeSystemUrl.courseType, code: course.type, display: COURSE_TYPE_DISPLAY[course.type] }] }] }
      : {}),
    diagnosis: [{ condition: ref('Condition', ids.condition), rank: 1 }],
    patient,
    period: coursePeriod(course),
  };
}

function carePlanResource(id: string, patient: Reference, ids: CourseIds, course: CourseSpec, type: NonNullable<CourseSpec['type']>): CarePlan {
  return {
    resourceType: 'CarePlan',
    id,
    extension: [{ url: ExternalSystem.workflowEpisodeOfCare, valueReference: ref('EpisodeOfCare', ids.episode) }],
    instantiatesCanonical: [PlanDefinitionUrl[type as keyof typeof PlanDefinitionUrl]],
    status: course.status === 'active' ? 'active' : 'completed',
    intent: 'plan',
    title: `Struktureret forløb: ${COURSE_TYPE_DISPLAY[type]}`,
    subject: patient,
    period: coursePeriod(course),
    addresses: [ref('Condition', ids.condition)],
    goal: course.activities.map((_, i) => ref('Goal', ids.goal(i + 1))),
  };
}

function goalResource(id: string, patient: Reference, ids: CourseIds, course: CourseSpec, activity: string): Goal {
  return {
    resourceType: 'Goal',
    id,
    lifecycleStatus: 'active',
    description: { text: activity },
    subject: patient,
    startDate: coursePeriod(course).start,
    addresses: [ref('Condition', ids.condition)],
  };
}

function checkCourse(prefix: string, course: CourseSpec): void {
  for (const c of course.consultations) {
    if (!isClinicDay(localDateOf(c.at))) throw new InvalidExampleSpecError(`${prefix}: ${c.at} is not a clinic day`);
  }
  for (const s of course.scores) {
    if (s.forVisit < 1 || s.forVisit > course.consultations.length) {
      throw new InvalidExampleSpecError(`${prefix}: scores at ${s.at} are for a visit that does not exist`);
    }
    if (s.psfs && s.psfs.length !== course.activities.length) {
      throw new InvalidExampleSpecError(`${prefix}: PSFS at ${s.at} rates ${s.psfs.length} of ${course.activities.length} activities`);
    }
  }
  if (!course.episode && course.type) throw new InvalidExampleSpecError(`${prefix}: a type needs an EpisodeOfCare to carry it`);
}

/** All consultations of the patient in start order, numbered `<prefix>-enc-01`, `-02`, ... across courses. */
function placeConsultations(spec: PatientSpec): PlacedConsultation[] {
  const placed: PlacedConsultation[] = spec.courses.flatMap((course) =>
    course.consultations.map((c, i) => ({ course, spec: c, visit: i + 1, id: '' })));
  placed.sort((a, b) => (a.spec.at < b.spec.at ? -1 : a.spec.at > b.spec.at ? 1 : 0));
  placed.forEach((p, i) => {
    p.id = `${spec.prefix}-enc-${seq(i + 1)}`;
  });
  return placed;
}

function entry(resource: Resource & { id?: string }): BundleEntry {
  const id = resource.id;
  if (!id || !EXAMPLE_ID.test(id) || id.length > 64) throw new InvalidExampleSpecError(`bad example id: ${String(id)}`);
  return {
    fullUrl: fullUrlOf(resource.resourceType, id),
    resource,
    request: { method: 'PUT', url: `${resource.resourceType}/${id}` },
  };
}

export function buildPatientBundle(spec: PatientSpec): Bundle {
  const patientId = `${spec.prefix}-patient`;
  const patient = ref('Patient', patientId);
  spec.courses.forEach((course) => checkCourse(spec.prefix, course));
  const placed = placeConsultations(spec);

  const head: Resource[] = [patientResource(patientId, spec.person)];
  const encounters: Encounter[] = [];
  const scores: { at: LocalDateTime; pair: ScorePair }[] = [];

  for (const course of spec.courses) {
    const ids = courseIds(spec.prefix, course);
    head.push(conditionResource(ids.condition, patient, course));
    if (course.episode) head.push(episodeResource(ids.episode, patient, ids, course));
    course.activities.forEach((activity, i) => head.push(goalResource(ids.goal(i + 1), patient, ids, course, activity)));
    if (course.episode && course.type) head.push(carePlanResource(ids.carePlan, patient, ids, course, course.type));

    const episode = course.episode ? ref('EpisodeOfCare', ids.episode) : undefined;
    const mine = placed.filter((p) => p.course === course);
    for (const p of mine) encounters.push(encounterResource(p.id, patient, p, episode));

    for (const s of course.scores) {
      const visit = mine.find((p) => p.visit === s.forVisit);
      if (!visit) throw new InvalidExampleSpecError(`${spec.prefix}: no visit ${s.forVisit}`);
      const n = visit.id.slice(visit.id.lastIndexOf('-') + 1);
      const ctx = { patient, encounter: ref('Encounter', visit.id), authored: toFhirDateTime(s.at) };
      const idsFor = (instrument: string) => ({
        response: `${spec.prefix}-qr-${instrument}-${n}`,
        observation: `${spec.prefix}-obs-${instrument}-${n}`,
      });
      if (s.odi !== undefined) {
        scores.push({ at: s.at, pair: odiScore(idsFor('odi'), ctx, odiAnswersFor(s.odi, course.odiSkipsSexLife ?? false)) });
      }
      if (s.psfs) scores.push({ at: s.at, pair: psfsScore(idsFor('psfs'), ctx, course.activities, s.psfs) });
      if (s.nprs !== undefined) scores.push({ at: s.at, pair: nprsScore(idsFor('nprs'), ctx, s.nprs) });
    }
  }

  encounters.sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
  // Stable sort: within one answer time the instruments keep the order ODI, PSFS, NPRS.
  scores.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const resources: Resource[] = [
    ...head,
    ...encounters,
    ...scores.flatMap(({ pair }) => [pair.response, pair.observation]),
  ];
  return { resourceType: 'Bundle', type: 'transaction', entry: resources.map(entry) };
}
