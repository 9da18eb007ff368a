/**
 * The two ways a call is refused for its size rather than its content, so that one patient's very long history
 * cannot take the service's time from everyone else's calls. Both name the limit, so an EHR's operator can tell
 * what to raise. They become OperationOutcomes in the same one place as every other CdsError.
 */
import { CdsError, type CdsErrorOptions, type CdsIssue } from './errors.js';

/** What a per-call bound counts. */
export type ResourceLimitKind = 'resources' | 'pages';

/**
 * 413: reading the patient's data would pass one of the reader's bounds per search (resources, or pages of a
 * paged search). Answered before the rest is read when the server's `total` already says so.
 */
export class ResourceLimitError extends CdsError {
  override readonly name = 'ResourceLimitError';
  readonly status = 413;
  readonly issues: readonly CdsIssue[];

  constructor(
    readonly key: string,
    readonly kind: ResourceLimitKind,
    readonly limit: number,
    readonly found?: number,
    options?: CdsErrorOptions,
  ) {
    super(`Limit of ${limit} ${kind} per search reached for ${key}`, options);
    const what = kind === 'resources' ? 'resources' : 'pages of results';
    this.issues = [{
      code: 'too-long',
      diagnostics: found === undefined
        ? `'${key}' has more than the limit of ${limit} ${what} per search; the call was not evaluated on part of it`
        : `'${key}' has ${found} ${what}, more than the limit of ${limit} per search; the call was not evaluated`,
      expression: `prefetch.${key}`,
    }];
  }
}

/**
 * 503: the call (waiting for FHIR data, queueing, or computing) did not finish within its deadline and was stopped,
 * its worker thread with it. The deadline bounds CPU as well as waiting.
 */
export class CallDeadlineError extends CdsError {
  override readonly name = 'CallDeadlineError';
  readonly status = 503;
  readonly issues: readonly CdsIssue[];

  constructor(readonly deadlineMs: number, options?: CdsErrorOptions) {
    super(`Call stopped at its deadline of ${deadlineMs} ms`, options);
    this.issues = [{
      code: 'timeout',
      diagnostics: `The call could not be answered within its deadline of ${deadlineMs} ms (CDS_DEADLINE_MS) and was stopped`,
    }];
  }
}
