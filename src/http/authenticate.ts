import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import type { TrustedIssuer } from '../config.js';
import { UnauthenticatedError } from '../cds/errors.js';
import type { Caller } from '../cds/fhir-server-policy.js';

/**
 * Trusting CDS clients (CDS Hooks 2.0): every call may carry `Authorization: Bearer <JWT>` signed by the EHR.
 * Checked in the spec's order: issuer on the allowlist -> audience = the exact URL called -> time claims -> key from
 * the issuer's JWKS or an allowlisted `jku` -> signature -> `jti` not seen before. Any failure is one 401 whose
 * reason goes only to the log.
 */

/** Asymmetric algorithms only: never `none`, never HMAC (an HMAC "signed" with a public key is a classic forgery). */
export const ALLOWED_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512'] as const;

export interface AuthenticatorOptions {
  readonly trustedIssuers: readonly TrustedIssuer[];
  /** Without a token: development accepts the call as unauthenticated; production refuses it. */
  readonly requireToken: boolean;
  readonly clockToleranceSec?: number;
  /** Upper bound of remembered `jti`s (each kept until its token expires). */
  readonly maxJtis?: number;
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

export type Authenticator = (input: { authorization: string | undefined; url: string }) => Promise<Caller>;

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const issuers = new Map(options.trustedIssuers.map((i) => [i.iss, i]));
  const remoteSets = new Map<string, JWTVerifyGetKey>();
  const localSets = new Map<string, JWTVerifyGetKey>();
  const jtis = new JtiCache(options.maxJtis ?? 100_000);
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
      if (options.requireToken) throw new UnauthenticatedError('no bearer token');
      return {};
    }
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match) throw new UnauthenticatedError('malformed Authorization header');
    const token = match[1]!;

    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      throw new UnauthenticatedError('undecodable JWT');
    }
    if (!header.alg || !(ALLOWED_ALGORITHMS as readonly string[]).includes(header.alg)) {
      throw new UnauthenticatedError(`algorithm ${String(header.alg)} not allowed`);
    }
    const issuer = typeof claims.iss === 'string' ? issuers.get(claims.iss) : undefined;
    if (!issuer) throw new UnauthenticatedError(`issuer ${String(claims.iss)} not trusted`);

    let keys: JWTVerifyGetKey;
    // A key configured for the issuer wins over one the token points at: the `jku` is only a hint, and following it
    // would make an offline start (or a sandbox whose jku is on the internet) fail although the key is known.
    if (issuer.jwks) {
      let set = localSets.get(issuer.iss);
      if (!set) {
        set = createLocalJWKSet(issuer.jwks);
        localSets.set(issuer.iss, set);
      }
      keys = set;
    } else if (header.jku !== undefined) {
      if (!issuer.jkuAllowlist?.includes(header.jku)) throw new UnauthenticatedError(`jku not allowlisted for ${issuer.iss}`);
      keys = remote(header.jku);
    } else if (issuer.jwksUrl) {
      keys = remote(issuer.jwksUrl);
    } else {
      throw new UnauthenticatedError(`no key source for ${issuer.iss}`);
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
      throw new UnauthenticatedError(`verification failed: ${(error as { code?: string }).code ?? (error as Error).name}`, { cause: error });
    }
    if (issuer.tenant !== undefined && payload.tenant !== issuer.tenant) {
      throw new UnauthenticatedError('tenant mismatch');
    }
    const jti = String(payload.jti);
    if (!jtis.remember(`${issuer.iss} ${jti}`, (payload.exp ?? 0) + tolerance, now().getTime() / 1000)) {
      throw new UnauthenticatedError('replayed jti');
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

/** `jti`s seen, each kept until its token could no longer be accepted; bounded so a flood cannot exhaust memory. */
class JtiCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly max: number) {}

  /** False when the jti was seen before (a replay). */
  remember(key: string, expiresAt: number, nowSec: number): boolean {
    const known = this.seen.get(key);
    if (known !== undefined && known >= nowSec) return false;
    if (this.seen.size >= this.max) this.evict(nowSec);
    this.seen.set(key, expiresAt);
    return true;
  }

  private evict(nowSec: number): void {
    for (const [key, exp] of this.seen) if (exp < nowSec) this.seen.delete(key);
    // Still full of live tokens: drop the oldest. A replay of a dropped one would pass its jti check, but its
    // signature and lifetime are still checked; an exhausted cache must not turn into a denial of service.
    while (this.seen.size >= this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
  }
}
