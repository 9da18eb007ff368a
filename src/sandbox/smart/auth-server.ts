/**
 * The embedded SMART on FHIR authorization server (App Launch 2.x), development and tests only: discovery,
 * authorize (EHR launch straight through, standalone launch with an approval page and a patient picker), token
 * (authorization code with PKCE S256 for public clients, rotating refresh tokens), launch contexts made by the EHR
 * (also at `_services/smart/Launch`, where the CDS Hooks sandbox asks for one). Mounted on the FHIR server's router,
 * so the issuer is the FHIR base URL.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { authorizePage, errorPage, type PatientChoice } from './authorize-page.js';
import { COURSE_APP_CLIENT, redirectAllowed, type SmartClient } from './clients.js';
import { ExpiringMap, type CodeGrant, type LaunchContext, type RefreshGrant } from './grants.js';
import { redirectWithError, sendOAuthError } from './oauth-error.js';
import { grantable, parseResourceScope, splitScopes, CONTEXT_SCOPES } from './scopes.js';
import { createTokenSigner, type TokenSigner } from './tokens.js';

export const SMART_PATHS = {
  configuration: '/.well-known/smart-configuration',
  authorize: '/auth/authorize',
  token: '/auth/token',
  jwks: '/auth/jwks',
  launch: '/auth/launch',
  sandboxLaunch: '/_services/smart/Launch',
} as const;

export interface Lifetimes {
  readonly accessTokenSec: number;
  readonly codeMs: number;
  readonly refreshMs: number;
  readonly launchMs: number;
  readonly pendingMs: number;
}

export const DEFAULT_LIFETIMES: Lifetimes = {
  accessTokenSec: 3600,
  codeMs: 60_000,
  refreshMs: 24 * 3600_000,
  launchMs: 3600_000,
  pendingMs: 10 * 60_000,
};

/** The demo user everyone is, in a development EHR. */
export const DEMO_USER = 'Practitioner/demo';

export interface SmartAuthServerOptions {
  readonly clients?: readonly SmartClient[];
  /** The patients a standalone launch may pick from. */
  readonly listPatients: () => Promise<readonly PatientChoice[]>;
  readonly now?: () => Date;
  readonly lifetimes?: Partial<Lifetimes>;
}

export interface SmartAuthServer {
  readonly router: Router;
  readonly signer: TokenSigner;
  /** A launch context, as an EHR makes one before it opens an app; returns the `launch` value. */
  createLaunch(context: LaunchContext): string;
  /** A token for the EHR itself (the simulator's writes), with user-level scopes. */
  issueEhrToken(issuer: string, scope: readonly string[]): Promise<string>;
}

export async function createSmartAuthServer(options: SmartAuthServerOptions): Promise<SmartAuthServer> {
  const now = options.now ?? (() => new Date());
  const life = { ...DEFAULT_LIFETIMES, ...options.lifetimes };
  const clients = new Map((options.clients ?? [COURSE_APP_CLIENT]).map((c) => [c.clientId, c]));
  const signer = await createTokenSigner(now);
  const launches = new ExpiringMap<LaunchContext>(life.launchMs, now);
  const codes = new ExpiringMap<CodeGrant>(life.codeMs, now);
  // A code presented twice is told apart from a made-up one (RFC 6749 §4.1.2: a reused code is an attack sign);
  // remembered by value until it could no longer matter, with the refresh token its first use gave.
  const usedCodes = new Map<string, { until: number; refreshToken?: string }>();
  const refreshes = new ExpiringMap<RefreshGrant>(life.refreshMs, now);
  const pending = new ExpiringMap<{ clientId: string; redirectUri: string; state?: string; codeChallenge: string; scope: string[] }>(life.pendingMs, now);

  const issuerOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
  const originOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const createLaunch = (context: LaunchContext): string => launches.put(context);

  const router = express.Router();

  router.get(SMART_PATHS.configuration, (req, res) => {
    const iss = issuerOf(req);
    res.json({
      issuer: iss,
      jwks_uri: `${iss}${SMART_PATHS.jwks}`,
      authorization_endpoint: `${iss}${SMART_PATHS.authorize}`,
      token_endpoint: `${iss}${SMART_PATHS.token}`,
      grant_types_supported: ['authorization_code', 'refresh_token'],
      response_types_supported: ['code'],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: [...CONTEXT_SCOPES, 'patient/*.rs', 'patient/*.cruds', 'user/*.cruds'],
      capabilities: [
        'launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-ehr-encounter',
        'context-standalone-patient', 'permission-patient', 'permission-user', 'permission-v1', 'permission-v2',
        'permission-offline', 'permission-online', 'sso-openid-connect',
      ],
    });
  });

  router.get(SMART_PATHS.jwks, (_req, res) => void res.json(signer.jwks));

  const launchHandler = (req: Request, res: Response): void => {
    const body = (req.body ?? {}) as { parameters?: Record<string, unknown> } & Record<string, unknown>;
    const p = (body.parameters ?? body) as Record<string, unknown>;
    if (typeof p.patient !== 'string' || p.patient === '') {
      res.status(400).json({ error: 'invalid_request', error_description: 'parameters.patient (a Patient id) is required' });
      return;
    }
    const appContext = p.appContext === undefined ? undefined : typeof p.appContext === 'string' ? p.appContext : JSON.stringify(p.appContext);
    const launch = createLaunch({
      patient: p.patient,
      ...(typeof p.encounter === 'string' && p.encounter !== '' ? { encounter: p.encounter } : {}),
      ...(appContext !== undefined ? { appContext } : {}),
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ launch_id: launch, launch });
  };
  router.post(SMART_PATHS.launch, launchHandler);
  router.post(SMART_PATHS.sandboxLaunch, launchHandler);

  router.get(SMART_PATHS.authorize, async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const client = q.client_id ? clients.get(q.client_id) : undefined;
    // Without a known client and one of its redirect URIs nothing may be redirected (RFC 6749 §4.1.2.1).
    if (!client) {
      res.status(400).type('html').send(errorPage('invalid_client', 'unknown client_id'));
      return;
    }
    if (!q.redirect_uri || !redirectAllowed(client, q.redirect_uri, originOf(req))) {
      res.status(400).type('html').send(errorPage('invalid_request', 'redirect_uri is not registered for this client'));
      return;
    }
    const fail = (code: Parameters<typeof redirectWithError>[2], why: string): void => redirectWithError(res, q.redirect_uri!, code, why, q.state);
    if (q.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    if (!q.code_challenge || q.code_challenge_method !== 'S256') return fail('invalid_request', 'PKCE is required: code_challenge with code_challenge_method S256');
    if (q.aud !== issuerOf(req)) return fail('invalid_request', 'aud must be this FHIR server\'s base URL');
    const requested = splitScopes(q.scope);
    const scope = grantable(requested, client.scopes);
    if (!scope.some((s) => parseResourceScope(s))) return fail('invalid_scope', 'no grantable resource scope requested');

    if (q.launch !== undefined) {
      const context = launches.get(q.launch);
      if (context === undefined || context === 'expired') return fail('invalid_request', `launch ${context === 'expired' ? 'expired' : 'unknown'}`);
      if (!scope.includes('launch')) return fail('invalid_scope', 'an EHR launch needs the launch scope');
      // The EHR user already chose the patient and opened the app: no page in between.
      const code = codes.put({ clientId: client.clientId, redirectUri: q.redirect_uri, codeChallenge: q.code_challenge, scope, context });
      redirectWithCode(res, q.redirect_uri, code, q.state);
      return;
    }
    const requestId = pending.put({ clientId: client.clientId, redirectUri: q.redirect_uri, codeChallenge: q.code_challenge, scope, ...(q.state !== undefined ? { state: q.state } : {}) });
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(authorizePage({
      action: `${req.baseUrl}${SMART_PATHS.authorize}`,
      requestId,
      clientName: client.name,
      scopes: scope,
      ...(scope.includes('launch/patient') ? { patients: await options.listPatients() } : {}),
    }));
  });

  router.post(SMART_PATHS.authorize, async (req, res) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const request = form.request ? pending.take(form.request) : undefined;
    if (request === undefined || request === 'expired') {
      res.status(400).type('html').send(errorPage('invalid_request', `approval request ${request === 'expired' ? 'expired' : 'unknown or already answered'}`));
      return;
    }
    if (form.decision !== 'approve') {
      redirectWithError(res, request.redirectUri, 'access_denied', 'the user denied access', request.state);
      return;
    }
    let context: LaunchContext = {};
    if (request.scope.includes('launch/patient')) {
      const patients = await options.listPatients();
      if (!form.patient || !patients.some((p) => p.id === form.patient)) {
        redirectWithError(res, request.redirectUri, 'invalid_request', 'no known patient chosen', request.state);
        return;
      }
      context = { patient: form.patient };
    }
    const code = codes.put({ clientId: request.clientId, redirectUri: request.redirectUri, codeChallenge: request.codeChallenge, scope: request.scope, context });
    redirectWithCode(res, request.redirectUri, code, request.state);
  });

  router.post(SMART_PATHS.token, async (req, res) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const client = form.client_id ? clients.get(form.client_id) : undefined;
    if (!client) return sendOAuthError(res, 'invalid_client', 'unknown client_id (public clients send it in the body)');
    const iss = issuerOf(req);

    if (form.grant_type === 'authorization_code') {
      if (!form.code) return sendOAuthError(res, 'invalid_request', 'code is required');
      const used = usedCodes.get(form.code);
      if (used && used.until >= now().getTime()) {
        // A replayed code revokes what the first use gave (RFC 6749 §4.1.2).
        if (used.refreshToken) refreshes.take(used.refreshToken);
        return sendOAuthError(res, 'invalid_grant', 'authorization code already used');
      }
      const grant = codes.take(form.code);
      if (grant === 'expired') return sendOAuthError(res, 'invalid_grant', 'authorization code expired');
      if (grant === undefined) return sendOAuthError(res, 'invalid_grant', 'authorization code unknown');
      const usage: { until: number; refreshToken?: string } = { until: now().getTime() + life.refreshMs };
      forgetOldCodes();
      usedCodes.set(form.code, usage);
      if (grant.clientId !== client.clientId) return sendOAuthError(res, 'invalid_grant', 'the code was issued to another client');
      if (form.redirect_uri !== grant.redirectUri) return sendOAuthError(res, 'invalid_grant', 'redirect_uri differs from the authorization request');
      if (!form.code_verifier) return sendOAuthError(res, 'invalid_request', 'code_verifier is required (PKCE)');
      if (!sameText(s256(form.code_verifier), grant.codeChallenge)) return sendOAuthError(res, 'invalid_grant', 'code_verifier does not match the code_challenge');
      const answer = await tokenResponse(iss, client, grant.scope, grant.context);
      if (answer.refresh_token) usage.refreshToken = answer.refresh_token;
      sendTokens(res, answer);
      return;
    }
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return sendOAuthError(res, 'invalid_request', 'refresh_token is required');
      const grant = refreshes.take(form.refresh_token);
      if (grant === 'expired') return sendOAuthError(res, 'invalid_grant', 'refresh token expired');
      if (grant === undefined) return sendOAuthError(res, 'invalid_grant', 'refresh token unknown or already used');
      if (grant.clientId !== client.clientId) return sendOAuthError(res, 'invalid_grant', 'the refresh token was issued to another client');
      let scope = grant.scope;
      if (form.scope !== undefined) {
        const asked = splitScopes(form.scope);
        if (asked.some((s) => !grant.scope.includes(s))) return sendOAuthError(res, 'invalid_scope', 'a refresh may narrow the scopes, never widen them');
        scope = asked;
      }
      sendTokens(res, await tokenResponse(iss, client, scope, grant.context));
      return;
    }
    sendOAuthError(res, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  });

  function forgetOldCodes(): void {
    const t = now().getTime();
    for (const [code, u] of usedCodes) if (u.until < t) usedCodes.delete(code);
  }

  async function tokenResponse(iss: string, client: SmartClient, scope: readonly string[], context: LaunchContext): Promise<Record<string, unknown> & { refresh_token?: string }> {
    const access = await signer.signAccess({
      client_id: client.clientId,
      scope: scope.join(' '),
      sub: DEMO_USER,
      ...(context.patient ? { patient: context.patient } : {}),
      ...(context.encounter ? { encounter: context.encounter } : {}),
    }, iss, life.accessTokenSec);
    const wantsRefresh = scope.includes('offline_access') || scope.includes('online_access');
    const wantsId = scope.includes('openid') && (scope.includes('fhirUser') || scope.includes('profile'));
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: life.accessTokenSec,
      scope: scope.join(' '),
      ...(context.patient ? { patient: context.patient, need_patient_banner: true } : {}),
      ...(context.encounter ? { encounter: context.encounter } : {}),
      ...(context.appContext !== undefined ? { appContext: context.appContext } : {}),
      ...(wantsId ? { id_token: await signer.signId({ sub: DEMO_USER, fhirUser: `${iss}/${DEMO_USER}` }, iss, client.clientId, life.accessTokenSec) } : {}),
      ...(wantsRefresh ? { refresh_token: refreshes.put({ clientId: client.clientId, scope, context }) } : {}),
    };
  }

  return {
    router,
    signer,
    createLaunch,
    issueEhrToken: (issuer, scope) => signer.signAccess({ client_id: 'ehr-simulator', scope: scope.join(' '), sub: DEMO_USER }, issuer, life.accessTokenSec),
  };
}

function redirectWithCode(res: Response, redirectUri: string, code: string, state: string | undefined): void {
  const url = new URL(redirectUri);
  url.searchParams.set('code', code);
  if (state !== undefined) url.searchParams.set('state', state);
  res.redirect(302, url.toString());
}

function sendTokens(res: Response, body: Record<string, unknown>): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.json(body);
}

const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
