import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, type Authenticator } from '../../src/http/authenticate.js';
import { isCdsError } from '../../src/cds/errors.js';
import { createTestIssuer, type TestIssuer } from '../support/jwt.js';
import { openSqliteStore } from '../../src/storage/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';

const AUD = 'http://127.0.0.1:3000/cds-services/lbp-patient-view';

const b64url = (x: unknown): string => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

async function expect401(auth: Authenticator, token: string, url = AUD): Promise<string> {
  try {
    await auth({ authorization: `Bearer ${token}`, url });
  } catch (error) {
    expect(isCdsError(error)).toBe(true);
    expect((error as { status: number }).status).toBe(401);
    return (error as { reason?: string }).reason ?? '';
  }
  throw new Error('expected a 401');
}

describe('authenticating the EHR (trusting CDS clients)', () => {
  let es: TestIssuer;
  let rs: TestIssuer;
  let rotating: TestIssuer;
  let jwksServer: Server;
  let jwksBase: string;
  let jwksHits = 0;
  let auth: Authenticator;
  let store: Store;

  beforeAll(async () => {
    // The replay cache is the real store (SQLite in memory), as in the service.
    store = await openSqliteStore(':memory:');
    es = await createTestIssuer('https://ehr.example.dk', 'ES384');
    rs = await createTestIssuer('https://other-ehr.example.dk', 'RS384');
    rotating = await createTestIssuer('https://sandbox.cds-hooks.org', 'ES384');
    jwksServer = createServer((req, res) => {
      jwksHits += 1;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(rotating.jwks));
    });
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
    jwksBase = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
    auth = createAuthenticator({ replayCache: store,
      requireToken: true,
      trustedIssuers: [
        { iss: es.iss, jwks: es.jwks, fhirServers: ['http://127.0.0.1:8080/fhir'] },
        { iss: rs.iss, jwks: rs.jwks, fhirServers: [] },
        { iss: rotating.iss, jkuAllowlist: [`${jwksBase}/.well-known/jwks.json`], fhirServers: [] },
      ],
    });
  });
  afterAll(async () => {
    await new Promise<void>((r) => jwksServer.close(() => r()));
    await store.close();
  });

  it('accepts a valid ES384 token and names the issuer', async () => {
    const caller = await auth({ authorization: `Bearer ${await es.sign(AUD)}`, url: AUD });
    expect(caller.issuer?.iss).toBe(es.iss);
  });

  it('accepts a valid RS384 token', async () => {
    const caller = await auth({ authorization: `Bearer ${await rs.sign(AUD)}`, url: AUD });
    expect(caller.issuer?.iss).toBe(rs.iss);
  });

  it('accepts a token whose key comes from an allowlisted jku, fetched once and cached', async () => {
    const jku = `${jwksBase}/.well-known/jwks.json`;
    const before = jwksHits;
    await auth({ authorization: `Bearer ${await rotating.sign(AUD, { header: { jku } })}`, url: AUD });
    await auth({ authorization: `Bearer ${await rotating.sign(AUD, { header: { jku } })}`, url: AUD });
    expect(jwksHits - before).toBe(1);
  });

  it('refuses a call without a token when tokens are required', async () => {
    await expect(auth({ authorization: undefined, url: AUD })).rejects.toMatchObject({ status: 401 });
  });

  it('lets an unauthenticated development call through when tokens are not required, but still verifies a sent one', async () => {
    const dev = createAuthenticator({ replayCache: store, requireToken: false, trustedIssuers: [{ iss: es.iss, jwks: es.jwks, fhirServers: [] }] });
    expect(await dev({ authorization: undefined, url: AUD })).toEqual({});
    const forged = await rs.sign(AUD);
    await expect401(dev, forged);
  });

  it('refuses alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: es.iss, aud: AUD, iat: now, exp: now + 300, jti: 'x1' })}.`;
    expect(await expect401(auth, token)).toMatch(/algorithm/);
  });

  it('refuses HS256 signed with the public key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const head = b64url({ alg: 'HS256', typ: 'JWT', kid: es.kid });
    const body = b64url({ iss: es.iss, aud: AUD, iat: now, exp: now + 300, jti: 'x2' });
    const sig = createHmac('sha256', JSON.stringify(es.publicJwk)).update(`${head}.${body}`).digest('base64url');
    expect(await expect401(auth, `${head}.${body}.${sig}`)).toMatch(/algorithm/);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await expect401(auth, await es.sign(AUD, { iatSec: now - 600, expSec: now - 120 }))).toMatch(/ERR_JWT_EXPIRED/);
  });

  it('refuses a token that is not yet valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await expect401(auth, await es.sign(AUD, { claims: { nbf: now + 600 } }))).toMatch(/verification failed/);
  });

  it('refuses a token issued in the future beyond the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await expect401(auth, await es.sign(AUD, { iatSec: now + 600, expSec: now + 900 }))).toMatch(/verification failed/);
  });

  it('refuses a wrong aud (another service URL)', async () => {
    expect(await expect401(auth, await es.sign('http://127.0.0.1:3000/cds-services/lbp-encounter-start'))).toMatch(/ERR_JWT_CLAIM_VALIDATION_FAILED/);
  });

  it('refuses an issuer that is not on the allowlist', async () => {
    const stranger = await createTestIssuer('https://evil.example.com');
    expect(await expect401(auth, await stranger.sign(AUD))).toMatch(/not trusted/);
  });

  it("refuses a token signed by a key the issuer's JWKS does not hold (unknown kid)", async () => {
    const impostor = await createTestIssuer(es.iss);
    expect(await expect401(auth, await impostor.sign(AUD))).toMatch(/verification failed/);
  });

  it('refuses a jku that is not on the allowlist', async () => {
    const token = await rotating.sign(AUD, { header: { jku: 'https://attacker.example.com/jwks.json' } });
    expect(await expect401(auth, token)).toMatch(/jku/);
  });

  it('refuses a replayed jti', async () => {
    const token = await es.sign(AUD);
    await auth({ authorization: `Bearer ${token}`, url: AUD });
    expect(await expect401(auth, token)).toMatch(/replayed/);
  });

  it('refuses a tampered payload', async () => {
    const token = await es.sign(AUD);
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${b64url({ ...claims, iss: es.iss, jti: 'tampered' })}.${s}`;
    expect(await expect401(auth, tampered)).toMatch(/verification failed/);
  });

  it('refuses a token with missing claims (no jti)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES384', kid: es.kid }).setIssuer(es.iss).setAudience(AUD)
      .setIssuedAt(now).setExpirationTime(now + 60).sign(es.privateKey);
    expect(await expect401(auth, token)).toMatch(/verification failed/);
  });

  it('refuses a malformed Authorization header', async () => {
    await expect(auth({ authorization: 'Basic dXNlcjpwYXNz', url: AUD })).rejects.toMatchObject({ status: 401 });
    await expect(auth({ authorization: 'Bearer not-a-jwt', url: AUD })).rejects.toMatchObject({ status: 401 });
  });

  it('picks up a rotated key: an unknown kid makes it refetch the issuer\'s JWKS URL', async () => {
    let current = await createTestIssuer('https://rotating.example.dk');
    const next = await createTestIssuer('https://rotating.example.dk');
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(current.jwks));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const rotatingAuth = createAuthenticator({ replayCache: store, requireToken: true, jwksCooldownMs: 0, trustedIssuers: [{ iss: current.iss, jwksUrl: url, fhirServers: [] }] });
      await rotatingAuth({ authorization: `Bearer ${await current.sign(AUD)}`, url: AUD });
      await rotatingAuth({ authorization: `Bearer ${await current.sign(AUD)}`, url: AUD });
      expect(fetches).toBe(1); // cached
      current = next; // the issuer rotates its key and publishes the new JWKS
      const caller = await rotatingAuth({ authorization: `Bearer ${await next.sign(AUD)}`, url: AUD });
      expect(caller.issuer?.iss).toBe(next.iss);
      expect(fetches).toBe(2);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
  it('takes the Bearer scheme in any case (RFC 6750)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const caller = await auth({ authorization: `${scheme} ${await es.sign(AUD)}`, url: AUD });
      expect(caller.issuer?.iss).toBe(es.iss);
    }
  });

  it('says in the refusal which claim failed and which aud it expected and received, never the token', async () => {
    const other = 'https://cds.other-region.example.dk/cds-services/lbp-patient-view';
    const token = await es.sign(other);
    const error = await auth({ authorization: `Bearer ${token}`, url: AUD }).catch((e: unknown) => e) as { reason: string; details?: Record<string, string> };
    expect(error.details).toEqual({ check: 'claim', claim: 'aud', expectedAud: AUD, receivedAud: other, iss: es.iss, alg: 'ES384', kid: es.kid });
    expect(JSON.stringify(error.details) + error.reason).not.toContain(token.split('.')[2]!);
    const expired = await auth({ authorization: `Bearer ${await es.sign(AUD, { iatSec: 1, expSec: 2 })}`, url: AUD }).catch((e: unknown) => e) as { details?: Record<string, string> };
    expect(expired.details).toMatchObject({ check: 'claim', claim: 'exp', iss: es.iss });
  });

  it('logs an untrusted iss escaped and cut short', async () => {
    const evil = await createTestIssuer(`https://evil.example.com/\n{"level":60,"msg":"forged"}${'x'.repeat(500)}`);
    const error = await auth({ authorization: `Bearer ${await evil.sign(AUD)}`, url: AUD }).catch((e: unknown) => e) as { reason: string; details: { iss: string } };
    expect(error.details.iss).not.toContain('\n');
    expect(error.details.iss).toContain('\\x0a');
    expect(error.details.iss.length).toBeLessThan(160);
    expect(error.reason).not.toContain('\n');
  });

  it('tells two tenants of one iss apart by the tenant claim, each with its own keys', async () => {
    const north = await createTestIssuer('https://shared-ehr.example.dk');
    const south = await createTestIssuer('https://shared-ehr.example.dk');
    const shared = createAuthenticator({
      replayCache: store,
      requireToken: true,
      trustedIssuers: [
        { iss: north.iss, tenant: 'north', jwks: north.jwks, fhirServers: ['https://north.example.dk/fhir'] },
        { iss: south.iss, tenant: 'south', jwks: south.jwks, fhirServers: ['https://south.example.dk/fhir'] },
      ],
    });
    expect((await shared({ authorization: `Bearer ${await north.sign(AUD, { claims: { tenant: 'north' } })}`, url: AUD })).issuer?.tenant).toBe('north');
    expect((await shared({ authorization: `Bearer ${await south.sign(AUD, { claims: { tenant: 'south' } })}`, url: AUD })).issuer?.tenant).toBe('south');
    // South's key does not open north's door, and a token naming no tenant picks neither.
    expect(await expect401(shared, await south.sign(AUD, { claims: { tenant: 'north' } }))).toMatch(/verification failed/);
    expect(await expect401(shared, await north.sign(AUD))).toMatch(/tenant/);
  });

  it('refuses a token used with another authenticator on the same store (another instance)', async () => {
    const second = createAuthenticator({ replayCache: store, requireToken: true, trustedIssuers: [{ iss: es.iss, jwks: es.jwks, fhirServers: [] }] });
    const token = await es.sign(AUD);
    await auth({ authorization: `Bearer ${token}`, url: AUD });
    expect(await expect401(second, token)).toMatch(/replayed/);
  });
});
