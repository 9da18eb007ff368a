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

/** Why a fhirServer is refused: `reason` for the log, `fix` for the caller (names the setting, never its values). */
export interface FhirServerRefusal {
  readonly reason: string;
  readonly fix: string;
}

/** Returns undefined when allowed, else the refusal. */
export function fhirServerRefusal(fhirServer: string, caller: Caller, policy: FhirServerPolicy): FhirServerRefusal | undefined {
  const base = normaliseBaseUrl(fhirServer);
  if (base === undefined) {
    return { reason: 'fhirServer is not an http(s) URL', fix: 'fhirServer must be an http(s) base URL without user name or password.' };
  }
  const url = new URL(base);
  const loopback = isLoopbackHost(url.hostname);
  if (policy.mode === 'production' && url.protocol === 'http:' && !loopback) {
    return { reason: 'plain http to a non-loopback FHIR server is refused in production', fix: 'Use https: production mode refuses plain http except to loopback.' };
  }
  if (caller.issuer) {
    const allowed = caller.issuer.fhirServers.map(normaliseBaseUrl);
    if (allowed.includes(base)) return undefined;
    if (!caller.issuer.developmentOnly || policy.mode === 'production') {
      return {
        reason: `fhirServer is not among the FHIR servers of issuer ${caller.issuer.iss}`,
        fix: "It is not among the FHIR servers configured for your issuer: the service's operator adds it to that issuer's fhirServers (trustedIssuers in the CDS_CONFIG file).",
      };
    }
  }
  if (loopback) return undefined;
  if (policy.devFhirServers.map(normaliseBaseUrl).includes(base)) return undefined;
  if (caller.issuer) {
    return {
      reason: `a development-only issuer (${caller.issuer.iss}) may only use loopback FHIR servers or those the configuration lists`,
      fix: `A call from ${caller.issuer.iss} (trusted in development only) may use loopback FHIR servers and those listed in devFhirServers: add it to devFhirServers in the CDS_CONFIG file.`,
    };
  }
  return {
    reason: 'an unauthenticated call may only use loopback FHIR servers or those the configuration lists',
    fix: 'An unauthenticated development call may use loopback FHIR servers and those listed in devFhirServers: add it to devFhirServers in the CDS_CONFIG file, or sign the call with a JWT of a trusted issuer.',
  };
}
