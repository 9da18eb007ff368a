/**
 * The one place where a failure becomes an HTTP status and a FHIR OperationOutcome. CdsErrors say what their
 * client may know; anything else is a 500 with a fixed message: no stack, no error message, nothing of the input,
 * because an unexpected error may carry a token or patient data in its text. The caller logs the original.
 */
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4.js';
import { isCdsError } from './errors.js';

export interface OperationOutcomeResponse {
  readonly status: number;
  readonly body: OperationOutcome;
}

export function toOperationOutcome(error: unknown): OperationOutcomeResponse {
  if (!isCdsError(error)) {
    return {
      status: 500,
      body: outcome([{ severity: 'error', code: 'exception', diagnostics: 'Internal error; the request was not processed' }]),
    };
  }
  return {
    status: error.status,
    body: outcome(
      error.issues.map((i) => ({
        severity: 'error',
        code: i.code,
        diagnostics: i.diagnostics,
        ...(i.expression ? { expression: [i.expression] } : {}),
      })),
    ),
  };
}

function outcome(issue: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue };
}
