import type { DataQualityIssue } from '../data-quality.js';

/** What every mapping function returns: the value (undefined when there is none) and the issues found. */
export interface MapResult<T> {
  readonly value: T | undefined;
  readonly issues: readonly DataQualityIssue[];
}
