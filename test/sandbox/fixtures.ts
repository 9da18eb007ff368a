/** Small builders for sandbox tests. */
import type { Bundle, Encounter, Observation, Patient, Resource } from 'fhir/r4.js';

export const CONSULTATION_SYSTEM = 'http://example.org/consultation';

export function patient(id: string): Patient {
  return { resourceType: 'Patient', id };
}

export function encounter(id: string, patientId: string, start: string, extra: Partial<Encounter> = {}): Encounter {
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [{ coding: [{ system: CONSULTATION_SYSTEM, code: '0266' }] }],
    subject: { reference: `Patient/${patientId}` },
    period: { start, end: start.replace('T09:00', 'T09:30') },
    ...extra,
  };
}

export function nprs(id: string, patientId: string, date: string, value: number): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: date,
    valueInteger: value,
  };
}

/** The n-th day of 2024 as an instant, so Encounters have distinct, ordered starts. */
export function day(n: number): string {
  const date = new Date(Date.UTC(2024, 0, 1 + n, 9, 0, 0));
  return date.toISOString().replace('.000Z', '+00:00');
}

/** p1 with 130 Encounters (for paging) and 3 NPRS Observations; p2 with 5 Encounters, one cancelled. */
export function standardResources(): Resource[] {
  const resources: Resource[] = [patient('p1'), patient('p2')];
  for (let i = 0; i < 130; i++) {
    resources.push(encounter(`p1-e${i}`, 'p1', day(i)));
  }
  for (let i = 0; i < 5; i++) {
    resources.push(encounter(`p2-e${i}`, 'p2', day(i), i === 4 ? { status: 'cancelled' } : {}));
  }
  resources.push(nprs('p1-o1', 'p1', '2024-01-02', 7), nprs('p1-o2', 'p1', '2024-02-02', 5), nprs('p1-o3', 'p1', '2024-03-02', 2));
  return resources;
}

export function searchset(body: unknown): Bundle {
  const bundle = body as Bundle;
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'searchset') {
    throw new Error(`Expected a searchset Bundle, got ${JSON.stringify(body).slice(0, 300)}`);
  }
  return bundle;
}

export function link(bundle: Bundle, relation: string): string | undefined {
  return bundle.link?.find((l) => l.relation === relation)?.url;
}
