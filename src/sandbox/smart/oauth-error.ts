/** OAuth 2.0 error answers (RFC 6749 §5.2): a JSON body with `error` and `error_description`, never cached. */
import type { Response } from 'express';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied';

export function sendOAuthError(res: Response, code: OAuthErrorCode, description: string): void {
  const status = code === 'invalid_client' ? 401 : 400;
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.json({ error: code, error_description: description });
}

/** An error sent back to the client's redirect URI, with its state, as the authorization endpoint must. */
export function redirectWithError(res: Response, redirectUri: string, code: OAuthErrorCode, description: string, state?: string): void {
  const url = new URL(redirectUri);
  url.searchParams.set('error', code);
  url.searchParams.set('error_description', description);
  if (state !== undefined) url.searchParams.set('state', state);
  res.redirect(302, url.toString());
}
