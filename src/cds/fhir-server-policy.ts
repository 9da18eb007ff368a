import type { TrustedIssuer } from '../config.js';
import { isLoopbackHost } from '../config.js';

/**
 * Where a hook call may make us fetch. The request names the FHIR server; without this check any caller could
 * make the service fetch arbitrary URLs (server-side request forgery) and hand it their token.
 */

export interface Caller {
  /** The verified issuer, or undefined for an unauthenticated development call. */
  readonly issuer?: TrustedIssuer;
}

export interface FhirServerPolicy {
  readonly mode: 'development' | 'production' | 'test';
  readonly devFhirServers: readonly string[];
}

/** Normalised base URL: lower-case scheme and host, no trailing slash, no query or fragment. */
export function normaliseBaseUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.username || parsed.password) return undefined;
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** Returns undefined when allowed, else the reason (for the log; the caller sees a generic refusal). */
export function fhirServerRefusal(fhirServer: string, caller: Caller, policy: FhirServerPolicy): string | undefined {
  const base = normaliseBaseUrl(fhirServer);
  if (base === undefined) return 'fhirServer is not an http(s) URL';
  const url = new URL(base);
  const loopback = isLoopbackHost(url.hostname);
  if (policy.mode === 'production' && url.protocol === 'http:' && !loopback) {
    return 'plain http to a non-loopback FHIR server is refused in production';
  }
  if (caller.issuer) {
    const allowed = caller.issuer.fhirServers.map(normaliseBaseUrl);
    if (allowed.includes(base)) return undefined;
    if (!caller.issuer.developmentOnly || policy.mode === 'production') {
      return `fhirServer is not among the FHIR servers of issuer ${caller.issuer.iss}`;
    }
  }
  if (loopback) return undefined;
  if (policy.devFhirServers.map(normaliseBaseUrl).includes(base)) return undefined;
  return 'an unauthenticated call may only use loopback FHIR servers or those the configuration lists';
}
