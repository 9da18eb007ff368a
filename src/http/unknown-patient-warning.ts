import type { Logger } from 'pino';

/**
 * The warning for a hook call about a patient id with no Patient resource (an integration mistake): the call's facts
 * as the request log line carries them, but never the raw patient id. The patient appears only as the log's hashed
 * stand-in (`patient`) when the log has one.
 */
export function warnUnknownPatient(logger: Logger, requestId: string, facts: Readonly<Record<string, unknown>>): void {
  const { patientId: _raw, ...safe } = facts;
  logger.warn({ requestId, ...safe }, 'unknown patient: no Patient resource for context.patientId in the prefetch or on the FHIR server (no cards returned); check the EHR integration');
}
