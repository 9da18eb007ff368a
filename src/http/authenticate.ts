import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { createHash } from 'node:crypto';
import type { TrustedIssuer } from '../config.js';
import { UnauthenticatedError, type AuthFailureDetails } from '../cds/errors.js';
import { forLog } from '../log-fields.js';
import type { Store } from '../storage/store.js';
import type { Caller } from '../cds/fhir-server-policy.js';

/**
 * Trusting CDS clients (CDS Hooks 2.0): every call may carry `Authorization: Bearer <JWT>` signed by the EHR.
 * Checked in the spec's order: issuer on the allowlist -> audience = the exact URL called -> time claims -> key from
 * the issuer's JWKS or an allowlisted `jku` -> signature -> `jti` not seen before (by any instance: the replay cache
 * is in the store). Any failure is one 401 whose reason and failed check go only to the log, never the token.
 */

/** Asymmetric algorithms only: never `none`, never HMAC (an HMAC "signed" with a public key is a classic forgery). */
export const ALLOWED_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512'] as const;

export interface AuthenticatorOptions {
  readonly trustedIssuers: readonly TrustedIssuer[];
  /** Without a token: development accepts the call as unauthenticated; production refuses it. */
  readonly requireToken: boolean;
  /** Where used `jti`s are remembered: the store, shared by every instance, so a replay is refused by all of them. */
  readonly replayCache: ReplayCache;
  readonly clockToleranceSec?: number;
  /** Time limit for fetching a remote JWKS. */
  readonly jwksTimeoutMs?: number;
  /** Least time between two refetches of one JWKS (an unknown `kid` triggers a refetch). Default 30 s. */
  readonly jwksCooldownMs?: number;
  readonly now?: () => Date;
  /**
   * Told when a remote JWKS cannot be fetched or read (timeout, refused connection, not a JWKS), with its URL and
   * the cause's code: the caller only sees a 401, and "why" must be findable in the log.
   */
  readonly onJwksError?: (info: { url: string; cause: string }) => void;
}

export type ReplayCache = Pick<Store, 'rememberToken'>;

export type Authenticator = (input: { authorization: string | undefined; url: string }) => Promise<Caller>;

/** RFC 6750: the scheme name is case-insensitive; the token is the JWS compact form. */
const BEARER = /^Bearer[ \t]+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i;

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  // Several entries may share an `iss` only with distinct tenants (loadConfig refuses anything else).
  const issuers = new Map<string, TrustedIssuer[]>();
  for (const issuer of options.trustedIssuers) issuers.set(issuer.iss, [...(issuers.get(issuer.iss) ?? []), issuer]);
  const remoteSets = new Map<string, JWTVerifyGetKey>();
  const localSets = new WeakMap<TrustedIssuer, JWTVerifyGetKey>();
  const tolerance = options.clockToleranceSec ?? 30;
  const now = options.now ?? (() => new Date());

  const remote = (url: string): JWTVerifyGetKey => {
    let set = remoteSets.get(url);
    if (!set) {
      // jose caches the keys and refetches on an unknown `kid` (with a cooldown), which is how issuers rotate keys.
      const fetched = createRemoteJWKSet(new URL(url), { timeoutDuration: options.jwksTimeoutMs ?? 2000, cooldownDuration: options.jwksCooldownMs ?? 30_000 });
      set = async (header, token) => {
        try {
          return await fetched(header, token);
        } catch (error) {
          // A kid the set does not hold is the token's problem, not the fetch's; everything else is worth a log line.
          const code = (error as { code?: string }).code;
          if (code !== 'ERR_JWKS_NO_MATCHING_KEY' && code !== 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') {
            options.onJwksError?.({ url, cause: jwksCause(error) });
          }
          throw error;
        }
      };
      remoteSets.set(url, set);
    }
    return set;
  };

  return async ({ authorization, url }) => {
    if (authorization === undefined || authorization === '') {
      if (options.requireToken) throw refused('no bearer token', { check: 'scheme' });
      return {};
    }
    const match = BEARER.exec(authorization.trim());
    if (!match) throw refused('malformed Authorization header', { check: 'scheme' });
    const token = match[1]!;

    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      throw refused('undecodable JWT', { check: 'decode' });
    }
    const seen = { iss: forLog(claims.iss), alg: forLog(header.alg), ...(header.kid !== undefined ? { kid: forLog(header.kid) } : {}) };
    if (!header.alg || !(ALLOWED_ALGORITHMS as readonly string[]).includes(header.alg)) {
      throw refused(`algorithm ${seen.alg} not allowed`, { check: 'alg', ...seen });
    }
    const candidates = typeof claims.iss === 'string' ? issuers.get(claims.iss) : undefined;
    if (!candidates) throw refused(`issuer ${seen.iss} not trusted`, { check: 'iss', ...seen });
    // One entry: it is the issuer (its tenant, if any, is checked below). Several: the token's tenant picks one.
    const issuer = candidates.length === 1 ? candidates[0]! : candidates.find((c) => c.tenant === claims.tenant);
    if (!issuer) throw refused('tenant mismatch', { check: 'tenant', ...seen });

    let keys: JWTVerifyGetKey;
    // A key configured for the issuer wins over one the token points at: the `jku` is only a hint, and following it
    // would make an offline start (or a sandbox whose jku is on the internet) fail although the key is known.
    if (issuer.jwks) {
      let set = localSets.get(issuer);
      if (!set) {
        set = createLocalJWKSet(issuer.jwks);
        localSets.set(issuer, set);
      }
      keys = set;
    } else if (header.jku !== undefined) {
      if (!issuer.jkuAllowlist?.includes(header.jku)) throw refused(`jku not allowlisted for ${issuer.iss}`, { check: 'jku', ...seen });
      keys = remote(header.jku);
    } else if (issuer.jwksUrl) {
      keys = remote(issuer.jwksUrl);
    } else {
      throw refused(`no key source for ${issuer.iss}`, { check: 'key', ...seen });
    }

    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: issuer.iss,
        audience: url,
        algorithms: [...ALLOWED_ALGORITHMS],
        clockTolerance: tolerance,
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
        currentDate: now(),
        maxTokenAge: '1h',
      }));
    } catch (error) {
      throw refused(`verification failed: ${(error as { code?: string }).code ?? (error as Error).name}`, {
        ...verificationDetails(error, url, claims.aud),
        ...seen,
      }, error);
    }
    if (issuer.tenant !== undefined && payload.tenant !== issuer.tenant) {
      throw refused('tenant mismatch', { check: 'tenant', ...seen });
    }
    // Remembered in the store, so a token used once is refused by every instance and after a restart, until it
    // expires. The key is a hash: the jti is the issuer's, but no token part is ever stored.
    const key = createHash('sha256').update(`${issuer.iss}\n${String(payload.jti)}`).digest('base64url');
    const nowSec = now().getTime() / 1000;
    if (!(await options.replayCache.rememberToken(key, (payload.exp ?? nowSec) + tolerance, nowSec))) {
      throw refused('replayed jti', { check: 'replay', ...seen });
    }
    return { issuer };
  };
}

/**
 * A JWKS failure's cause as short codes along its cause chain: jose's code, then the network error's (fetch failed
 * -> ECONNREFUSED). Codes and class names only: a message could quote what the server sent.
 */
function jwksCause(error: unknown): string {
  const parts: string[] = [];
  let e = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const part = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : undefined;
    if (part && parts[parts.length - 1] !== part) parts.push(part);
    e = e.cause as typeof e;
  }
  return parts.length > 0 ? parts.join(': ') : 'unknown';
}

function refused(reason: string, details: AuthFailureDetails, cause?: unknown): UnauthenticatedError {
  return new UnauthenticatedError(reason, { details, ...(cause !== undefined ? { cause } : {}) });
}

/** jose's errors name the claim that failed; for `aud` the log also gets what we expected and what came. */
function verificationDetails(error: unknown, expectedAud: string, receivedAud: unknown): AuthFailureDetails {
  const e = error as { code?: string; claim?: string };
  if (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' || e.code === 'ERR_JWT_EXPIRED') {
    const claim = forLog(e.claim ?? 'unspecified');
    return claim === 'aud'
      ? { check: 'claim', claim, expectedAud: forLog(expectedAud), receivedAud: forLog(receivedAud) }
      : { check: 'claim', claim };
  }
  if (e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { check: 'signature' };
  if (e.code === 'ERR_JWKS_NO_MATCHING_KEY' || e.code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' || e.code === 'ERR_JWKS_TIMEOUT') return { check: 'key' };
  return { check: forLog(e.code ?? 'verify') };
}
