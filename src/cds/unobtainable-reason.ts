import { PrefetchFailureReason, type PrefetchOutcome } from '../fhir/prefetch.js';
import {
  FhirForbiddenOriginError,
  FhirHttpError,
  FhirNetworkError,
  FhirResponseShapeError,
  FhirResponseTooLargeError,
  FhirTimeoutError,
} from '../fhir/reader/errors.js';

/**
 * Why a piece of data could not be had, in words that name the server and the fix: the 412's diagnostics. Never a
 * token and never the query (which carries the patient id); the FHIR server's base URL is the caller's own input.
 */
export function unobtainableReason(
  outcome: Extract<PrefetchOutcome, { status: 'failed' }>,
  fhirServer: string | undefined,
  deadlineMs: number,
): string {
  const server = `the FHIR server ${fhirServer ?? ''}`.trimEnd();
  if (outcome.reason === PrefetchFailureReason.noFhirServer) {
    return 'it is not in the prefetch and the request has no fhirServer to read it from: send it as prefetch '
      + '(GET /cds-services lists the templates), or send fhirServer and fhirAuthorization';
  }
  if (outcome.reason === PrefetchFailureReason.unfillableTemplate) {
    return "its prefetch template needs a context value this request does not have (see the hook's context)";
  }
  const error = outcome.error;
  if (error instanceof FhirNetworkError) return `${server} could not be reached${error.code ? ` (${error.code})` : ''}: check fhirServer and that the server is up`;
  if (error instanceof FhirTimeoutError) {
    return `${server} did not answer within the call's deadline of ${deadlineMs} ms (CDS_DEADLINE_MS or deadlineMs in CDS_CONFIG)`;
  }
  if (error instanceof FhirHttpError) {
    if (error.status === 401 || error.status === 403) {
      return `${server} answered ${error.status}: check fhirAuthorization (the access token, its expiry and its scopes)`;
    }
    if (error.status >= 300 && error.status < 400) return `${server} answered with a redirect (${error.status}), which is not followed: send its final base URL as fhirServer`;
    return `${server} answered ${error.status}`;
  }
  if (error instanceof FhirResponseShapeError) return `${server} answered with something that is not the FHIR JSON asked for (${error.problem})`;
  if (error instanceof FhirResponseTooLargeError) return `${server} sent an answer larger than ${error.maxBytes} bytes`;
  if (error instanceof FhirForbiddenOriginError) return `a link from ${server} points outside it and was not followed`;
  return `${server} could not be read`;
}

/** A history cut short: the limits would count too few consultations. */
export function incompletePagingReason(fhirServer: string | undefined): string {
  return `the search results of ${fhirServer ? `the FHIR server ${fhirServer}` : 'the prefetch'} have more pages than the service follows (same origin only, bounded)`;
}
