/**
 * Where the reader may send the bearer token: the FHIR server it was given, meaning the same origin (scheme, host,
 * port) and the same base path. Every URL the reader requests, its own or a server's `next` link, passes here first.
 */
import { FhirForbiddenOriginError, FhirInvalidQueryError } from './errors.js';

export interface FhirBase {
  /** The base URL with exactly one trailing slash, so relative queries resolve under it. */
  readonly href: string;
  readonly origin: string;
  /** The base path without its trailing slash ('' for a server at the origin's root). */
  readonly path: string;
}

/** A resource type as FHIR spells them: 'Encounter', 'QuestionnaireResponse'. */
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
/** FHIR's id datatype. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Origin and path only: query strings may carry identifiers, and messages and notes must not. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export function parseFhirBase(fhirServer: string): FhirBase {
  let url: URL;
  try {
    url = new URL(fhirServer);
  } catch {
    throw new FhirForbiddenOriginError('fhirServer is not a URL', { url: 'fhirServer' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FhirForbiddenOriginError('fhirServer is not an http(s) URL', { url: url.protocol });
  }
  // Credentials in the URL would be sent by fetch on every call, beside our bearer token; a query or fragment
  // would be silently dropped by relative resolution. Either means the URL is not a FHIR base.
  if (url.username || url.password || url.search || url.hash) {
    throw new FhirForbiddenOriginError('fhirServer must be a plain base URL', { url: describeUrl(url) });
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { href: `${url.origin}${path}/`, origin: url.origin, path };
}

/**
 * True when the URL is on the base's origin and at or under its base path. The base path itself counts (HAPI's
 * paging links are `{base}?_getpages=...`). `new URL` has already resolved any `..` segments, encoded or not.
 */
export function isWithinBase(url: URL, base: FhirBase): boolean {
  if (url.origin !== base.origin || url.username || url.password) return false;
  return url.pathname === base.path || url.pathname.startsWith(`${base.path}/`);
}

/** Resolves a query ('Encounter?patient=1') or a link against a reference URL, refusing anything outside base. */
export function resolveWithinBase(target: string, base: FhirBase, reference: string = base.href): URL {
  let url: URL;
  try {
    url = new URL(target, reference);
  } catch {
    throw new FhirInvalidQueryError('query is not a valid URL', { url: base.href });
  }
  if (!isWithinBase(url, base)) {
    throw new FhirForbiddenOriginError('URL outside the FHIR server is not requested', { url: url.origin });
  }
  return url;
}

/** The URL of `{type}/{id}`, after checking both, so an id like '../x' cannot move the request elsewhere. */
export function resourceUrl(type: string, id: string, base: FhirBase): URL {
  if (!RESOURCE_TYPE.test(type)) {
    throw new FhirInvalidQueryError('not a FHIR resource type', { url: base.href });
  }
  if (!FHIR_ID.test(id) || id === '.' || id === '..') {
    throw new FhirInvalidQueryError(`not a FHIR id for ${type}`, { url: base.href });
  }
  return new URL(`${type}/${id}`, base.href);
}
