import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevelopment, type RunningDevelopment } from '../../support/start-development.js';

/** The embedded SMART authorization server over HTTP: every refusal with its OAuth error code. */
let dev: RunningDevelopment;
let clock = Date.now();
let fhir: string;
const CLIENT = 'forloebsoverblik';
const PATIENT = 'lbp-edge-missing-baseline-scores-patient';
const ENCOUNTER = 'lbp-edge-missing-baseline-scores-enc-06';
const SCOPE = 'launch openid fhirUser offline_access patient/*.rs patient/QuestionnaireResponse.c patient/Observation.c';

beforeAll(async () => {
  dev = await startDevelopment({ now: () => new Date(clock) });
  fhir = `${dev.url}/fhir`;
});
afterAll(() => dev.close());

const redirectUri = (): string => `${dev.url}/app/`;
const pkce = (): { verifier: string; challenge: string } => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

async function launch(appContext?: unknown): Promise<string> {
  const response = await fetch(`${fhir}/_services/smart/Launch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ launchUrl: redirectUri(), parameters: { patient: PATIENT, encounter: ENCOUNTER, ...(appContext ? { appContext } : {}) } }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { launch_id: string }).launch_id;
}

function authorizeUrl(params: Record<string, string | undefined>): string {
  const url = new URL(`${fhir}/auth/authorize`);
  const all: Record<string, string | undefined> = { response_type: 'code', client_id: CLIENT, redirect_uri: redirectUri(), scope: SCOPE, state: 'st-1', aud: fhir, code_challenge_method: 'S256', ...params };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

async function authorize(params: Record<string, string | undefined>): Promise<{ status: number; location?: URL; text: string }> {
  const response = await fetch(authorizeUrl(params), { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, ...(location ? { location: new URL(location) } : {}), text: await response.text() };
}

async function token(form: Record<string, string | undefined>): Promise<{ status: number; body: any }> {
  const body = new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined));
  const response = await fetch(`${fhir}/auth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  expect(response.headers.get('cache-control')).toBe('no-store');
  return { status: response.status, body: await response.json() };
}

/** An EHR launch up to the code. */
async function codeFor(appContext?: unknown): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const answer = await authorize({ launch: await launch(appContext), code_challenge: challenge });
  expect(answer.status).toBe(302);
  expect(answer.location?.searchParams.get('state')).toBe('st-1');
  return { code: answer.location!.searchParams.get('code')!, verifier };
}

const exchange = (code: string, verifier: string | undefined) =>
  token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: CLIENT, redirect_uri: redirectUri() });

describe('discovery', () => {
  it('publishes .well-known/smart-configuration with PKCE S256 and the v2 capabilities', async () => {
    const config = await (await fetch(`${fhir}/.well-known/smart-configuration`)).json();
    expect(config).toMatchObject({
      issuer: fhir,
      authorization_endpoint: `${fhir}/auth/authorize`,
      token_endpoint: `${fhir}/auth/token`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
    expect(config.capabilities).toEqual(expect.arrayContaining(['launch-ehr', 'launch-standalone', 'client-public', 'permission-v2', 'context-ehr-encounter']));
    const metadata = await (await fetch(`${fhir}/metadata`)).json();
    expect(JSON.stringify(metadata.rest[0].security)).toContain('oauth-uris');
  });
});

describe('an EHR launch', () => {
  it('gives a JWT access token with the launch context, the appContext and a refresh token', async () => {
    const appContext = JSON.stringify({ view: 'questionnaire', instrument: 'odi' });
    const { code, verifier } = await codeFor(appContext);
    const answer = await exchange(code, verifier);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', patient: PATIENT, encounter: ENCOUNTER, appContext, scope: SCOPE });
    expect(typeof answer.body.refresh_token).toBe('string');
    expect(decodeJwt(answer.body.id_token).fhirUser).toBe(`${fhir}/Practitioner/demo`);
    const claims = decodeJwt(answer.body.access_token);
    expect(claims).toMatchObject({ iss: fhir, aud: fhir, patient: PATIENT, client_id: CLIENT });
  });

  it('refreshes with a rotating refresh token, never widening the scopes', async () => {
    const { code, verifier } = await codeFor();
    const first = await exchange(code, verifier);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.patient).toBe(PATIENT);
    expect(await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await token({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, client_id: CLIENT, scope: `${SCOPE} user/*.cruds` })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });
});

describe('the authorization endpoint refuses', () => {
  it('an unknown client or an unregistered redirect_uri with a page, never a redirect', async () => {
    const unknown = await authorize({ client_id: 'nobody', code_challenge: pkce().challenge });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('invalid_client');
    const elsewhere = await authorize({ redirect_uri: 'https://attacker.example/cb', code_challenge: pkce().challenge });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.location).toBeUndefined();
    expect(elsewhere.text).toContain('redirect_uri');
  });

  it('a request without PKCE S256, for another audience, with an unknown launch, or asking no grantable scope', async () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ code_challenge: undefined }, 'invalid_request'],
      [{ code_challenge: pkce().challenge, code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: pkce().challenge, aud: 'https://other.example/fhir' }, 'invalid_request'],
      [{ code_challenge: pkce().challenge, launch: 'no-such-launch' }, 'invalid_request'],
      [{ code_challenge: pkce().challenge, scope: 'launch user/*.cruds' }, 'invalid_scope'],
      [{ code_challenge: pkce().challenge, response_type: 'token' }, 'unsupported_response_type'],
    ];
    for (const [params, error] of cases) {
      const answer = await authorize(params);
      expect(answer.status, JSON.stringify(params)).toBe(302);
      expect(answer.location?.origin + answer.location!.pathname).toBe(redirectUri());
      expect(answer.location?.searchParams.get('error'), JSON.stringify(params)).toBe(error);
      expect(answer.location?.searchParams.get('state')).toBe('st-1');
    }
  });
});

describe('the token endpoint refuses', () => {
  it('an unknown client with 401 invalid_client', async () => {
    const { code, verifier } = await codeFor();
    expect(await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: 'nobody', redirect_uri: redirectUri() })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('a missing verifier (invalid_request) and a wrong one (invalid_grant)', async () => {
    const a = await codeFor();
    expect(await exchange(a.code, undefined)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const b = await codeFor();
    expect(await exchange(b.code, pkce().verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('code_verifier') } });
  });

  it('a reused code, and revokes the refresh token its first use gave', async () => {
    const { code, verifier } = await codeFor();
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    expect(await exchange(code, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('already used') } });
    expect(await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('an expired code', async () => {
    const { code, verifier } = await codeFor();
    clock += 61_000;
    try {
      expect(await exchange(code, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('expired') } });
    } finally {
      clock -= 61_000;
    }
  });

  it('a different redirect_uri and an unsupported grant type', async () => {
    const { code, verifier } = await codeFor();
    expect(await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: CLIENT, redirect_uri: `${dev.url}/app/index.html` })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await token({ grant_type: 'client_credentials', client_id: CLIENT })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });
});

describe('the FHIR server as a resource server', () => {
  const observation = (patient: string) => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] },
    subject: { reference: `Patient/${patient}` },
    valueInteger: 4,
  });
  const write = (path: string, body: unknown, accessToken?: string) =>
    fetch(`${fhir}/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json', ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}) },
      body: JSON.stringify(body),
    });
  let accessToken: string;
  beforeAll(async () => {
    const { code, verifier } = await codeFor();
    accessToken = (await exchange(code, verifier)).body.access_token;
  });

  it('demands a token for writes, and still lets anyone read', async () => {
    const refused = await write('Observation', observation(PATIENT));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await refused.json()).resourceType).toBe('OperationOutcome');
    expect((await fetch(`${fhir}/Patient/${PATIENT}`)).status).toBe(200);
  });

  it('accepts a write within the token\'s scopes and patient', async () => {
    expect((await write('Observation', observation(PATIENT), accessToken)).status).toBe(201);
  });

  it('refuses writes beyond the scopes or outside the launch patient with 403 insufficient_scope', async () => {
    for (const [path, body] of [
      ['Observation', observation('lbp-c1-patient')],
      ['Appointment', { resourceType: 'Appointment', status: 'proposed', participant: [{ actor: { reference: `Patient/${PATIENT}` }, status: 'needs-action' }] }],
    ] as const) {
      const answer = await write(path, body, accessToken);
      expect(answer.status, path).toBe(403);
      expect(answer.headers.get('www-authenticate')).toContain('insufficient_scope');
    }
    const search = await fetch(`${fhir}/Observation?patient=lbp-c1-patient`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(search.status).toBe(403);
  });

  it('refuses a forged, a foreign and an expired token with 401 invalid_token', async () => {
    const [h, p] = accessToken.split('.');
    expect((await write('Observation', observation(PATIENT), `${h}.${p}.AAAA`)).status).toBe(401);
    clock += 3601_000;
    try {
      const expired = await write('Observation', observation(PATIENT), accessToken);
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('expired');
    } finally {
      clock -= 3601_000;
    }
  });
});

describe('a standalone launch', () => {
  it('shows an approval page with a patient picker, and approving gives the chosen patient', async () => {
    const { verifier, challenge } = pkce();
    const page = await authorize({ scope: 'launch/patient openid fhirUser patient/*.rs', code_challenge: challenge });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<select id="patient"');
    const request = /name="request" value="([^"]+)"/.exec(page.text)![1]!;
    const decide = (form: Record<string, string>) => fetch(`${fhir}/auth/authorize`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(form) });
    const unknownPatient = await decide({ request, decision: 'approve', patient: 'nobody' });
    expect(new URL(unknownPatient.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');

    const again = await authorize({ scope: 'launch/patient openid fhirUser patient/*.rs', code_challenge: challenge });
    const second = /name="request" value="([^"]+)"/.exec(again.text)![1]!;
    const approved = await decide({ request: second, decision: 'approve', patient: PATIENT });
    const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
    expect((await exchange(code, verifier)).body.patient).toBe(PATIENT);
    expect((await decide({ request: second, decision: 'approve', patient: PATIENT })).status).toBe(400);
  });

  it('sends access_denied back when the user denies', async () => {
    const page = await authorize({ scope: 'launch/patient patient/*.rs', code_challenge: pkce().challenge });
    const request = /name="request" value="([^"]+)"/.exec(page.text)![1]!;
    const denied = await fetch(`${fhir}/auth/authorize`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ request, decision: 'deny' }) });
    expect(new URL(denied.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });
});
