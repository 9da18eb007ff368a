/**
 * The request failures of a CDS call, one class per failure in the manner of ky's errors: a fixed `name`, the HTTP
 * `status`, the `issues` the client may see, and the original error in `cause`. Clinical findings are never
 * errors; these are only the reasons a call cannot be answered at all. `toOperationOutcome` turns them into the
 * response body in one place.
 */
import type { SchemaIssue } from './schemas.js';

/** FHIR issue-type codes (http://hl7.org/fhir/issue-type) that our failures use. */
export type CdsIssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'too-long'
  | 'incomplete'
  | 'not-supported'
  | 'timeout'
  | 'exception';

/** One thing wrong, as the client will see it: never a token, a CPR number or a patient's name. */
export interface CdsIssue {
  readonly code: CdsIssueCode;
  readonly diagnostics: string;
  /** FHIRPath-ish path of the field concerned, e.g. 'context.patientId'. */
  readonly expression?: string;
}

export interface CdsErrorOptions {
  readonly cause?: unknown;
}

export abstract class CdsError extends Error {
  abstract override readonly name: string;
  abstract readonly status: number;
  abstract readonly issues: readonly CdsIssue[];

  constructor(message: string, options?: CdsErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** 400: the body does not follow the protocol. Carries every schema issue found, not just the first. */
export class InvalidRequestError extends CdsError {
  override readonly name = 'InvalidRequestError';
  readonly status = 400;
  readonly issues: readonly CdsIssue[];

  constructor(
    readonly schemaIssues: readonly SchemaIssue[],
    options?: CdsErrorOptions,
  ) {
    super(`Invalid CDS Hooks request: ${schemaIssues.length} issue(s)`, options);
    this.issues =
      schemaIssues.length > 0
        ? schemaIssues.map((i) => ({ code: issueCodeFor(i), diagnostics: i.message, ...(i.path ? { expression: i.path } : {}) }))
        : [{ code: 'invalid', diagnostics: 'The request is not a valid CDS Hooks request' }];
  }
}

/** 401: the caller could not be authenticated. The public message never says why; `reason` is for the log. */
export class UnauthenticatedError extends CdsError {
  override readonly name = 'UnauthenticatedError';
  readonly status = 401;
  readonly issues: readonly CdsIssue[] = [{ code: 'login', diagnostics: 'Authentication failed' }];

  constructor(
    /** Why (expired, unknown issuer, bad signature, replayed jti ...): log it, never send it. */
    readonly reason: string,
    options?: CdsErrorOptions & { readonly details?: AuthFailureDetails },
  ) {
    super(`Unauthenticated: ${reason}`, options);
    if (options?.details) this.details = options.details;
  }

  /** Which check failed, with what was expected and received: for the log (escaped, cut short), never the token. */
  readonly details?: AuthFailureDetails;
}

/** The log's account of a refused JWT. Every received value is untrusted text, already escaped and cut short. */
export interface AuthFailureDetails {
  /** The check that failed: 'scheme', 'decode', 'alg', 'iss', 'tenant', 'jku', 'key', 'signature', 'claim', 'replay'. */
  readonly check: string;
  readonly claim?: string;
  readonly iss?: string;
  readonly expectedAud?: string;
  readonly receivedAud?: string;
  readonly alg?: string;
  readonly kid?: string;
}

/**
 * 403: the request names a FHIR server this caller may not make us contact. Refused before any connection. The
 * public message names the setting that would allow it (`fix`), never the servers it lists; `reason` is for the log.
 */
export class ForbiddenFhirServerError extends CdsError {
  override readonly name = 'ForbiddenFhirServerError';
  readonly status = 403;
  readonly issues: readonly CdsIssue[];

  constructor(
    readonly reason: string,
    options?: CdsErrorOptions & { readonly fix?: string },
  ) {
    super(`Forbidden fhirServer: ${reason}`, options);
    const diagnostics = 'This service may not contact the given fhirServer for this caller';
    this.issues = [{ code: 'forbidden', diagnostics: options?.fix ? `${diagnostics}. ${options.fix}` : diagnostics, expression: 'fhirServer' }];
  }
}

/** 404: no CDS service with that id. */
export class UnknownServiceError extends CdsError {
  override readonly name = 'UnknownServiceError';
  readonly status = 404;
  readonly issues: readonly CdsIssue[];

  constructor(
    readonly serviceId: string,
    options?: CdsErrorOptions,
  ) {
    super(`Unknown CDS service: ${serviceId}`, options);
    // The id is not echoed to the client: it is caller input and could carry anything.
    this.issues = [{ code: 'not-found', diagnostics: 'No CDS service with this id; GET /cds-services lists them' }];
  }
}

/** 405: a known path asked with a method it does not take. `allow` becomes the Allow header. */
export class MethodNotAllowedError extends CdsError {
  override readonly name = 'MethodNotAllowedError';
  readonly status = 405;
  readonly issues: readonly CdsIssue[];

  constructor(
    readonly allow: readonly string[],
    /** What the path is for and how to call it, e.g. "a CDS service takes POST (a hook call)". */
    usage: string,
    options?: CdsErrorOptions,
  ) {
    super(`Method not allowed; allowed: ${allow.join(', ')}`, options);
    this.issues = [{ code: 'not-supported', diagnostics: `Method not allowed here: ${usage}` }];
  }
}

/** 413: the body is larger than the configured limit. */
export class PayloadTooLargeError extends CdsError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly issues: readonly CdsIssue[];

  constructor(
    readonly limitBytes?: number,
    options?: CdsErrorOptions,
  ) {
    super(`Request body too large${limitBytes === undefined ? '' : ` (limit ${limitBytes} bytes)`}`, options);
    this.issues = [
      {
        code: 'too-long',
        diagnostics:
          limitBytes === undefined
            ? 'The request body is too large'
            : `The request body is larger than the limit of ${limitBytes} bytes`,
      },
    ];
  }
}

/** One piece of data the service needed and could not get. */
export interface UnobtainableData {
  /** The prefetch key (e.g. 'encounters') or a short name of the query. */
  readonly key: string;
  /** Why, in words safe to send: an HTTP status, a timeout. Never a token or a URL with credentials. */
  readonly reason: string;
}

/**
 * 412: data without which no honest answer is possible could be had neither from prefetch nor from the FHIR
 * server. The spec's answer for this is 412 Precondition Failed.
 */
export class DataUnobtainableError extends CdsError {
  override readonly name = 'DataUnobtainableError';
  readonly status = 412;
  readonly issues: readonly CdsIssue[];

  constructor(
    readonly unobtainable: readonly UnobtainableData[],
    options?: CdsErrorOptions,
  ) {
    super(`Data unobtainable: ${unobtainable.map((u) => u.key).join(', ')}`, options);
    this.issues =
      unobtainable.length > 0
        ? unobtainable.map((u) => ({
            code: 'incomplete',
            diagnostics: `Could not obtain '${u.key}' from prefetch or the FHIR server: ${u.reason}`,
            expression: `prefetch.${u.key}`,
          }))
        : [{ code: 'incomplete', diagnostics: 'Data needed for this hook could not be obtained' }];
  }
}

/** 415: the body is not JSON. */
export class UnsupportedMediaTypeError extends CdsError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly status = 415;
  readonly issues: readonly CdsIssue[] = [
    { code: 'not-supported', diagnostics: 'The request body must be application/json' },
  ];

  constructor(
    readonly contentType?: string,
    options?: CdsErrorOptions,
  ) {
    super(`Unsupported media type${contentType ? `: ${contentType}` : ''}`, options);
  }
}

export function isCdsError(error: unknown): error is CdsError {
  return error instanceof CdsError;
}

export function isInvalidRequestError(error: unknown): error is InvalidRequestError {
  return error instanceof InvalidRequestError;
}

export function isUnauthenticatedError(error: unknown): error is UnauthenticatedError {
  return error instanceof UnauthenticatedError;
}

export function isDataUnobtainableError(error: unknown): error is DataUnobtainableError {
  return error instanceof DataUnobtainableError;
}

/** 'x is required' -> required; a wrong value -> value; a wrong shape of the body itself -> structure. */
function issueCodeFor(issue: SchemaIssue): CdsIssueCode {
  if (issue.message.endsWith(' is required') || issue.message.includes(' is required when ')) return 'required';
  if (issue.path === '') return 'structure';
  return 'value';
}
