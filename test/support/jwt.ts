import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';

/** A real EHR signing identity: a key pair, its public JWKS, and a function that signs CDS Hooks JWTs. */
export interface TestIssuer {
  readonly iss: string;
  readonly kid: string;
  readonly alg: string;
  readonly jwks: { keys: JWK[] };
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  sign(aud: string, overrides?: { claims?: Record<string, unknown>; header?: Record<string, unknown>; expSec?: number; iatSec?: number }): Promise<string>;
}

export async function createTestIssuer(iss: string, alg: 'ES384' | 'RS384' | 'ES256' | 'RS256' = 'ES384'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    iss,
    kid,
    alg,
    jwks: { keys: [publicJwk] },
    privateKey: privateKey as CryptoKey,
    publicJwk,
    async sign(aud, overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ jti: randomUUID(), ...overrides.claims })
        .setProtectedHeader({ alg, kid, typ: 'JWT', ...overrides.header })
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt(overrides.iatSec ?? now)
        .setExpirationTime(overrides.expSec ?? now + 300)
        .sign(privateKey);
    },
  };
}
