/**
 * Why a FHIR read failed, one class per failure in the manner of ky's errors: a fixed `name`, the original error
 * in `cause`, and a type guard. Every class extends `FhirReadError`, so the CDS layer can turn "data unobtainable"
 * into a 412 with one `instanceof`, while logs and tests can still tell a timeout from a 403.
 *
 * Messages carry the request's path (never its query string, which may hold identifiers) and never the token:
 * the token is only ever in a request header, which no error here copies.
 */

/** What every failure says about where it happened. */
export interface FhirRequestInfo {
  /** Origin and path of the request, without the query string. */
  readonly url: string;
}

export abstract class FhirReadError extends Error {
  abstract override readonly name: string;
  readonly url: string;

  protected constructor(message: string, info: FhirRequestInfo, options?: { cause?: unknown }) {
    super(`${message} (${info.url})`, options);
    this.url = info.url;
  }
}

/** The server answered with a status outside 2xx (3xx included: redirects are refused, never followed). */
export class FhirHttpError extends FhirReadError {
  override readonly name = 'FhirHttpError';
  readonly status: number;
  /** Seconds, from a 429's or 503's Retry-After when it was a number. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, info: FhirRequestInfo, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(status >= 300 && status < 400
      ? `FHIR server answered with a redirect (${status}), which is not followed`
      : `FHIR server answered ${status}`, info, options);
    this.status = status;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** The call's deadline (its AbortSignal) fired before the answer was complete. */
export class FhirTimeoutError extends FhirReadError {
  override readonly name = 'FhirTimeoutError';
  constructor(info: FhirRequestInfo, options?: { cause?: unknown }) {
    super('FHIR request aborted at the call deadline', info, options);
  }
}

/** No HTTP answer at all: connection refused or reset, DNS failure, connection dropped mid-body. */
export class FhirNetworkError extends FhirReadError {
  override readonly name = 'FhirNetworkError';
  /** The system error code when there is one, e.g. 'ECONNREFUSED'. */
  readonly code: string | undefined;
  constructor(info: FhirRequestInfo, options?: { cause?: unknown; code?: string }) {
    super(`FHIR server unreachable${options?.code ? ` (${options.code})` : ''}`, info, options);
    this.code = options?.code;
  }
}

/** A 2xx answer that is not what was asked for: HTML, truncated JSON, a wrong resourceType, malformed entries. */
export class FhirResponseShapeError extends FhirReadError {
  override readonly name = 'FhirResponseShapeError';
  readonly problem: string;
  constructor(problem: string, info: FhirRequestInfo, options?: { cause?: unknown }) {
    super(`FHIR response has the wrong shape: ${problem}`, info, options);
    this.problem = problem;
  }
}

/** One answer was larger than the reader's byte bound; it was not parsed. */
export class FhirResponseTooLargeError extends FhirReadError {
  override readonly name = 'FhirResponseTooLargeError';
  readonly maxBytes: number;
  constructor(maxBytes: number, info: FhirRequestInfo, options?: { cause?: unknown }) {
    super(`FHIR response larger than ${maxBytes} bytes`, info, options);
    this.maxBytes = maxBytes;
  }
}

/**
 * A URL outside the FHIR server we were given (another origin, or outside its base path): it is never requested,
 * because the bearer token would go with it. Also thrown for a `fhirServer` that is not a plain http(s) URL.
 */
export class FhirForbiddenOriginError extends FhirReadError {
  override readonly name = 'FhirForbiddenOriginError';
  constructor(reason: string, info: FhirRequestInfo) {
    super(reason, info);
  }
}

/** The caller asked for something that cannot be sent as is: a malformed resource type, id or query. */
export class FhirInvalidQueryError extends FhirReadError {
  override readonly name = 'FhirInvalidQueryError';
  constructor(reason: string, info: FhirRequestInfo) {
    super(reason, info);
  }
}

export const isFhirReadError = (error: unknown): error is FhirReadError => error instanceof FhirReadError;
export const isFhirHttpError = (error: unknown): error is FhirHttpError => error instanceof FhirHttpError;
export const isFhirTimeoutError = (error: unknown): error is FhirTimeoutError => error instanceof FhirTimeoutError;
export const isFhirNetworkError = (error: unknown): error is FhirNetworkError => error instanceof FhirNetworkError;
export const isFhirResponseShapeError = (error: unknown): error is FhirResponseShapeError =>
  error instanceof FhirResponseShapeError;
export const isFhirResponseTooLargeError = (error: unknown): error is FhirResponseTooLargeError =>
  error instanceof FhirResponseTooLargeError;
export const isFhirForbiddenOriginError = (error: unknown): error is FhirForbiddenOriginError =>
  error instanceof FhirForbiddenOriginError;
export const isFhirInvalidQueryError = (error: unknown): error is FhirInvalidQueryError =>
  error instanceof FhirInvalidQueryError;
