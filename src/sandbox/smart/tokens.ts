/**
 * The SMART server's signing key, made at start-up and never written anywhere: access tokens and id tokens are
 * ES256 JWTs, verified by the embedded FHIR server with the same key (and published at the JWKS endpoint).
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export interface AccessClaims extends JWTPayload {
  readonly client_id: string;
  readonly scope: string;
  readonly patient?: string;
  readonly encounter?: string;
}

export interface TokenSigner {
  readonly jwks: { keys: JWK[] };
  signAccess(claims: Omit<AccessClaims, 'iss' | 'aud' | 'exp' | 'iat' | 'jti'>, issuer: string, lifetimeSec: number): Promise<string>;
  signId(claims: JWTPayload, issuer: string, audience: string, lifetimeSec: number): Promise<string>;
  /** Throws (jose's errors, with `code`) unless the token is ours, for `issuer`, and unexpired. */
  verifyAccess(token: string, issuer: string): Promise<AccessClaims>;
}

const ALG = 'ES256';

export async function createTokenSigner(now: () => Date): Promise<TokenSigner> {
  const { privateKey, publicKey } = await generateKeyPair(ALG);
  const kid = randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  const seconds = (): number => Math.floor(now().getTime() / 1000);

  const sign = (claims: JWTPayload, issuer: string, audience: string, lifetimeSec: number): Promise<string> =>
    new SignJWT({ ...claims, jti: randomUUID() })
      .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(seconds())
      .setExpirationTime(seconds() + lifetimeSec)
      .sign(privateKey);

  return {
    jwks: { keys: [publicJwk] },
    // The access token's audience is the FHIR server it is for, which is also the issuer here.
    signAccess: (claims, issuer, lifetimeSec) => sign(claims, issuer, issuer, lifetimeSec),
    signId: sign,
    async verifyAccess(token, issuer) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer,
        audience: issuer,
        algorithms: [ALG],
        currentDate: now(),
        requiredClaims: ['exp', 'scope', 'client_id'],
      });
      return payload as AccessClaims;
    },
  };
}
