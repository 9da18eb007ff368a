import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. We log ids and timings, never bodies; the redaction list is the second line of defence
 * should a header, token or prefetch ever reach a log call.
 */
export const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'access_token',
  '*.access_token',
  'fhirAuthorization',
  '*.fhirAuthorization',
  'prefetch',
  '*.prefetch',
  'token',
  '*.token',
  'jwt',
  '*.jwt',
  'body',
  '*.body',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'structured-course-cds' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
