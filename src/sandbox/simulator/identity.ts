/**
 * The EHR simulator's CDS-client identity: a key pair made at start-up, trusted in development (only) as an issuer,
 * so that the simulator's hook calls are signed exactly as CDS Hooks 2.0 asks an EHR to sign them (ES384, `aud` =
 * the URL called, short `exp`, fresh `jti`, `kid` in the header).
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { TrustedIssuer } from '../../config.js';

export const SIMULATOR_ISS = 'urn:structured-course-cds:ehr-simulator';
const ALG = 'ES384';
const LIFETIME_SEC = 300;

export interface SimulatorIdentity {
  readonly trustedIssuer: TrustedIssuer;
  sign(aud: string): Promise<string>;
}

export async function createSimulatorIdentity(): Promise<SimulatorIdentity> {
  const { privateKey, publicKey } = await generateKeyPair(ALG);
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  return {
    // Its calls get what an unauthenticated development call gets (loopback FHIR servers), no more.
    trustedIssuer: { iss: SIMULATOR_ISS, jwks: { keys: [jwk] }, fhirServers: [], developmentOnly: true },
    sign: (aud) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
        .setIssuer(SIMULATOR_ISS)
        .setAudience(aud)
        .setIssuedAt(now)
        .setExpirationTime(now + LIFETIME_SEC)
        .sign(privateKey);
    },
  };
}
