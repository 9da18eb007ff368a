import type { Definitions } from '../../course/definitions/types.js';
import type { Consultation, ConsultationStatus } from '../../course/types.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { consultationCodeOf } from './consultation-code.js';
import { isObject, prop, str } from './guards.js';
import { parseFhirDate } from './local-date.js';
import type { MapResult } from './map-result.js';

const ENCOUNTER_STATUSES: ReadonlySet<string> = new Set([
  'planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown',
]);

export interface ToConsultationOptions {
  /** Marks the consultation as the current one (the starting Encounter). */
  readonly current?: boolean;
  /**
   * Start used when the Encounter has no usable `period.start`: an Encounter that is just starting may not have one
   * yet, and the request time is then its start.
   */
  readonly fallbackStart?: string;
  /** The active definitions (their consultation catalogue); the shipped ones by default. */
  readonly definitions: Definitions;
}

/**
 * An Encounter as a Consultation. An Encounter whose type carries no consultation code is simply not a consultation
 * (value undefined, no issue). Never throws, whatever the input.
 */
export function toConsultation(encounter: unknown, options: ToConsultationOptions): MapResult<Consultation> {
  const issues: DataQualityIssue[] = [];
  if (!isObject(encounter) || str(encounter, 'resourceType') !== 'Encounter') {
    return { value: undefined, issues: [dataQualityIssue('not-a-resource', undefined, { expected: 'Encounter' })] };
  }
  const ref = `Encounter/${str(encounter, 'id') ?? ''}`;
  const id = str(encounter, 'id');
  if (id === undefined) return { value: undefined, issues: [dataQualityIssue('missing-id', undefined, { resourceType: 'Encounter' })] };
  const code = consultationCodeOf(prop(encounter, 'type'), ref, issues, options.definitions);
  if (code === undefined) return { value: undefined, issues };

  const rawStatus = str(encounter, 'status');
  let status: ConsultationStatus;
  if (rawStatus === undefined) {
    issues.push(dataQualityIssue('missing-status', ref));
    status = 'unknown';
  } else if (!ENCOUNTER_STATUSES.has(rawStatus)) {
    issues.push(dataQualityIssue('invalid-status', ref, { status: rawStatus.slice(0, 32) }));
    status = 'unknown';
  } else {
    status = rawStatus as ConsultationStatus;
  }

  let parsed = parseFhirDate(prop(prop(encounter, 'period'), 'start'));
  if (!parsed.ok && options.fallbackStart !== undefined) {
    if (parsed.reason !== 'missing') issues.push(dataQualityIssue('invalid-date', ref, { element: 'period.start' }));
    parsed = parseFhirDate(options.fallbackStart);
  }
  if (!parsed.ok) {
    issues.push(
      parsed.reason === 'missing'
        ? dataQualityIssue('missing-date', ref, { element: 'period.start' })
        : dataQualityIssue('invalid-date', ref, { element: 'period.start', reason: parsed.reason }),
    );
    return { value: undefined, issues };
  }
  const c: { -readonly [K in keyof Consultation]: Consultation[K] } = { id, code, date: parsed.date, status };
  if (parsed.instant !== undefined) c.start = parsed.instant;
  if (options.current === true) c.current = true;
  return { value: c, issues };
}

/** Appointment statuses that mean the booking is off: they become cancelled consultations, which never count. */
const APPOINTMENT_CANCELLED: ReadonlySet<string> = new Set(['cancelled', 'noshow']);

/**
 * A proposed Appointment (appointment-book) as the current Consultation, with status 'proposed' so that the engine
 * counts it as it counts the starting Encounter. Not a consultation (undefined, no issue) when its serviceType
 * carries no consultation code.
 */
export function toProposedConsultation(appointment: unknown, options: { current?: boolean; definitions: Definitions }): MapResult<Consultation> {
  const issues: DataQualityIssue[] = [];
  if (!isObject(appointment) || str(appointment, 'resourceType') !== 'Appointment') {
    return { value: undefined, issues: [dataQualityIssue('not-a-resource', undefined, { expected: 'Appointment' })] };
  }
  // A proposed Appointment may not have been given an id yet by the EHR; the id is only used to point at it.
  const id = str(appointment, 'id') ?? 'proposed';
  const ref = `Appointment/${id}`;
  const code = consultationCodeOf(prop(appointment, 'serviceType'), ref, issues, options.definitions);
  if (code === undefined) return { value: undefined, issues };
  const parsed = parseFhirDate(prop(appointment, 'start'));
  if (!parsed.ok) {
    issues.push(
      parsed.reason === 'missing'
        ? dataQualityIssue('missing-date', ref, { element: 'start' })
        : dataQualityIssue('invalid-date', ref, { element: 'start', reason: parsed.reason }),
    );
    return { value: undefined, issues };
  }
  const rawStatus = str(appointment, 'status');
  const current = options.current !== false;
  let status: ConsultationStatus;
  if (rawStatus === 'entered-in-error') status = 'entered-in-error';
  else if (rawStatus !== undefined && APPOINTMENT_CANCELLED.has(rawStatus)) status = 'cancelled';
  else if (current) status = 'proposed';
  else status = rawStatus === 'proposed' || rawStatus === 'pending' || rawStatus === 'waitlist' ? 'proposed' : 'booked';
  const c: { -readonly [K in keyof Consultation]: Consultation[K] } = { id, code, date: parsed.date, status };
  if (parsed.instant !== undefined) c.start = parsed.instant;
  if (current) c.current = true;
  return { value: c, issues };
}
