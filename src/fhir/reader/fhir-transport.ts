/**
 * The project's only use of fhirclient: one client per hook call that puts the bearer token on its requests, and
 * the translation of everything that can go wrong into our error classes.
 *
 * Why fhirclient's base `FhirClient` and not its SMART `Client`: the SMART client is built for a launched app with
 * a session. It needs a storage (the default one needs an express session and crashes on a 401 without one),
 * clears that storage on a 401, may try a token refresh, follows `next` links when asked, and its `request()`
 * writes the request options, Authorization header included, to the `debug` log whenever DEBUG=FHIR* is set.
 * `FhirClient` has no state at all, and `getRequestDefaults()` is fhirclient's own single place for the
 * Authorization header. Paging, origin checks and deadlines are ours (see fhir-reader.ts).
 */
import smart from 'fhirclient';
import type * as FhirClientModule from 'fhirclient/lib/FhirClient.js';
import {
  FhirHttpError,
  FhirNetworkError,
  FhirResponseShapeError,
  FhirResponseTooLargeError,
  FhirTimeoutError,
  type FhirRequestInfo,
} from './errors.js';
import { describeUrl } from './fhir-url.js';

// The node entry sets `smart.FhirClient` at runtime; its typings only declare the SMART API. The class's own
// typings are a CommonJS `export default`, which NodeNext resolution exposes as `.default.default`.
type FhirClientConstructor = typeof FhirClientModule.default.default;
const FhirClient = (smart as unknown as { FhirClient: FhirClientConstructor }).FhirClient;

class BearerFhirClient extends FhirClient {
  // A private field, so the token is not part of anything that inspects, logs or serialises the client.
  readonly #authorization: string | undefined;

  constructor(baseUrl: string, accessToken: string | undefined) {
    super(baseUrl);
    this.#authorization = accessToken ? `Bearer ${accessToken}` : undefined;
  }

  override async getRequestDefaults(): Promise<Partial<RequestInit>> {
    return { headers: this.#authorization ? { authorization: this.#authorization } : {} };
  }
}

export interface FhirTransport {
  /** GETs an absolute URL the caller has already checked against the base; resolves with the parsed JSON body. */
  getJson(url: URL, signal: AbortSignal): Promise<unknown>;
}

interface CombinedResult {
  body?: unknown;
  response: { headers: { get(name: string): string | null } };
}

/** Options fhirclient passes through to node-fetch 2 (via cross-fetch); `size` is node-fetch's byte bound. */
type NodeFetchOptions = RequestInit & { includeResponse: true; size: number };

export function createFhirTransport(baseUrl: string, accessToken: string | undefined, maxResponseBytes: number):
  FhirTransport {
  const client = new BearerFhirClient(baseUrl, accessToken);
  return {
    async getJson(url, signal) {
      const info: FhirRequestInfo = { url: describeUrl(url) };
      if (signal.aborted) throw new FhirTimeoutError(info, { cause: signal.reason });
      const options: NodeFetchOptions = {
        signal,
        // A redirect would carry the token to wherever Location points; a 3xx is answered with FhirHttpError.
        redirect: 'manual',
        size: maxResponseBytes,
        includeResponse: true,
        headers: { accept: 'application/fhir+json, application/json;q=0.9' },
      };
      let result: CombinedResult;
      try {
        result = await client.fhirRequest<CombinedResult>(url.href, options);
      } catch (error) {
        throw toReadError(error, info, signal, maxResponseBytes);
      }
      const contentType = result.response.headers.get('content-type') ?? '';
      if (!/\bjson\b/i.test(contentType)) {
        throw new FhirResponseShapeError(`content type '${contentType.split(';')[0] || 'none'}', not FHIR JSON`,
          info);
      }
      return result.body;
    },
  };
}

function toReadError(error: unknown, info: FhirRequestInfo, signal: AbortSignal, maxBytes: number): Error {
  // Checked first: once the deadline has fired, whatever node-fetch reports (AbortError, a destroyed stream) is
  // the deadline's doing.
  if (signal.aborted) return new FhirTimeoutError(info, { cause: error });
  const failure = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown; type?: unknown; status?: unknown; code?: unknown; errno?: unknown;
    response?: { headers?: { get(name: string): string | null } };
  };
  if (failure.name === 'AbortError') return new FhirTimeoutError(info, { cause: error });
  if (failure.name === 'HttpError' && typeof failure.status === 'number') {
    const retryAfter = Number(failure.response?.headers?.get('retry-after') ?? Number.NaN);
    return new FhirHttpError(failure.status, info, {
      cause: error,
      ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  if (failure.type === 'max-size') return new FhirResponseTooLargeError(maxBytes, info, { cause: error });
  if (error instanceof SyntaxError) {
    return new FhirResponseShapeError('body is not valid JSON (truncated?)', info, { cause: error });
  }
  const code = typeof failure.code === 'string' ? failure.code
    : typeof failure.errno === 'string' ? failure.errno : undefined;
  return new FhirNetworkError(info, { cause: error, ...(code ? { code } : {}) });
}
