/**
 * A trusted EHR for production-mode runs: an ES384 key pair, the CDS_CONFIG file that trusts it, and signed CDS
 * Hooks JWTs (each with a fresh jti: the service refuses a replayed one).
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchIssuer {
  readonly iss: string;
  /** Path of the CDS_CONFIG JSON file that trusts this issuer. */
  readonly configFile: string;
  sign(aud: string): Promise<string>;
}

export async function createBenchIssuer(dir: string, fhirServers: readonly string[]): Promise<BenchIssuer> {
  const iss = 'https://ehr.bench.example';
  const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' };
  const configFile = join(dir, 'cds-config.json');
  writeFileSync(configFile, JSON.stringify({ trustedIssuers: [{ iss, jwks: { keys: [jwk] }, fhirServers }] }, null, 2));
  return {
    iss,
    configFile,
    sign: (aud) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES384', kid, typ: 'JWT' })
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey);
    },
  };
}
