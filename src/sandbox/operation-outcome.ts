/** OperationOutcomes for the sandbox's own answers (fhir-router builds its own for what it handles). */
import type { OperationOutcome } from 'fhir/r4.js';

export type IssueCode = 'forbidden' | 'invalid' | 'not-found' | 'not-supported' | 'login' | 'processing' | 'exception' | 'too-costly';

export function operationOutcome(
  code: IssueCode,
  diagnostics: string,
  expression?: string,
  severity: 'error' | 'warning' = 'error',
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity, code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
  };
}

export function mergeOutcomes(outcomes: readonly OperationOutcome[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: outcomes.flatMap((o) => o.issue) };
}
