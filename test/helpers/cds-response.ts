import { formatIssues, validateCdsResponse } from '../../src/cds/schemas.js';

/**
 * Every CDS response a test receives goes through this: the spec's response model plus our no-null/no-empty rule.
 * Throws with one line per issue, so a failing test says what is wrong with the card, not just "invalid".
 */
export function expectValidCdsResponse(body: unknown): void {
  const issues = validateCdsResponse(body);
  if (issues.length > 0) {
    throw new Error(`Not a valid CDS Hooks response:\n${formatIssues(issues)}`);
  }
}
