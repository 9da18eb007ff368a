/**
 * A planned population as FHIR R4 resources in Bulk Data NDJSON: file sets of `patientsPerSet` patients each
 * (`<Type>.<set>.ndjson`), a patient's resources always in one set, written as a stream (one patient in memory).
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { CodeSystemUrl, ExternalSystem, Loinc, PlanDefinitionUrl } from '../../src/canonical.js';
import { planPatient, type PatientPlan, type PlannedScore } from './plan.js';

type Json = Record<string, unknown>;

const instant = (date: string, time = '10:00:00'): string => `${date}T${time}+01:00`;
const survey = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }];

function scoreObservation(plan: PatientPlan, s: PlannedScore, n: number): Json {
  const code = s.instrument === 'odi' ? { system: ExternalSystem.loinc, code: Loinc.odiTotal }
    : s.instrument === 'nprs' ? { system: ExternalSystem.loinc, code: Loinc.nprs }
      : { system: CodeSystemUrl.instrument, code: 'psfs' };
  const value = s.instrument === 'nprs' ? { valueInteger: s.value }
    : { valueQuantity: { value: s.value, unit: s.instrument === 'odi' ? '%' : '{score}', system: 'http://unitsofmeasure.org', code: s.instrument === 'odi' ? '%' : '{score}' } };
  return {
    resourceType: 'Observation', id: `${plan.patientId}-obs-${n}`, status: 'final', category: survey, code: { coding: [code] },
    subject: { reference: `Patient/${plan.patientId}` }, effectiveDateTime: instant(s.date, '08:00:00'), ...value,
  };
}

/** Every resource of one patient, by type. */
export function patientResources(plan: PatientPlan): Record<string, Json[]> {
  const pid = plan.patientId;
  const subject = { reference: `Patient/${pid}` };
  const episodeId = `${pid}-episode`;
  const episode: Json = {
    resourceType: 'EpisodeOfCare', id: episodeId, status: plan.episodeFinished ? 'finished' : 'active',
    ...(plan.type ? { type: [{ coding: [{ system: CodeSystemUrl.courseType, code: plan.type }] }] } : {}),
    patient: subject,
    period: { start: plan.entryDate, ...(plan.episodeFinished ? { end: plan.consultations[plan.consultations.length - 1]?.date } : {}) },
  };
  const encounters = plan.consultations.map((c, i): Json => ({
    resourceType: 'Encounter', id: `${pid}-enc-${i + 1}`, status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [{ coding: [{ system: CodeSystemUrl.consultation, code: c.code }] }],
    subject, episodeOfCare: [{ reference: `EpisodeOfCare/${episodeId}` }], period: { start: instant(c.date) },
  }));
  const out: Record<string, Json[]> = {
    Patient: [{ resourceType: 'Patient', id: pid, active: true, gender: plan.index % 2 === 0 ? 'female' : 'male' }],
    EpisodeOfCare: [episode],
    Encounter: encounters,
    Observation: plan.scores.map((s, i) => scoreObservation(plan, s, i + 1)),
  };
  if (plan.type) {
    out.CarePlan = [{
      resourceType: 'CarePlan', id: `${pid}-careplan`, status: plan.episodeFinished ? 'completed' : 'active', intent: 'plan',
      instantiatesCanonical: [PlanDefinitionUrl[plan.type]], subject,
      extension: [{ url: ExternalSystem.workflowEpisodeOfCare, valueReference: { reference: `EpisodeOfCare/${episodeId}` } }],
    }];
  }
  if (plan.booked) {
    out.Appointment = [{
      resourceType: 'Appointment', id: `${pid}-appt-1`, status: 'booked',
      serviceType: [{ coding: [{ system: CodeSystemUrl.consultation, code: plan.booked.code }] }],
      start: instant(plan.booked.date), end: instant(plan.booked.date, '10:45:00'),
      participant: [{ actor: subject, status: 'accepted' }],
    }];
  }
  return out;
}

export interface GenerateOptions {
  readonly patients: number;
  readonly seed: number;
  readonly referenceDate: string;
  readonly outDir: string;
  readonly patientsPerSet: number;
}

export async function writePopulation(options: GenerateOptions): Promise<{ sets: number; resources: number; bytes: number }> {
  mkdirSync(options.outDir, { recursive: true });
  const sets = Math.max(1, Math.ceil(options.patients / options.patientsPerSet));
  const width = String(sets - 1).length;
  let resources = 0;
  let bytes = 0;
  for (let set = 0; set < sets; set += 1) {
    const streams = new Map<string, WriteStream>();
    const from = set * options.patientsPerSet;
    const to = Math.min(options.patients, from + options.patientsPerSet);
    for (let i = from; i < to; i += 1) {
      for (const [type, list] of Object.entries(patientResources(planPatient(i, options.seed, options.referenceDate)))) {
        let stream = streams.get(type);
        if (!stream) {
          stream = createWriteStream(join(options.outDir, `${type}.${String(set).padStart(width, '0')}.ndjson`));
          streams.set(type, stream);
        }
        for (const r of list) {
          const line = `${JSON.stringify(r)}\n`;
          resources += 1;
          bytes += line.length;
          if (!stream.write(line)) await once(stream, 'drain');
        }
      }
    }
    await Promise.all([...streams.values()].map((s) => new Promise<void>((res, rej) => s.end((e?: Error | null) => (e ? rej(e) : res())))));
  }
  return { sets, resources, bytes };
}
