/**
 * The SMART clients the embedded authorization server knows: public clients (no secret; PKCE S256 instead). The
 * course app is registered by default; tests may add their own.
 */
export interface SmartClient {
  readonly clientId: string;
  readonly name: string;
  /** Redirect URIs as paths on the server's own origin (the app is served by the same service). */
  readonly redirectPaths?: readonly string[];
  /** Absolute redirect URIs, exactly as the client sends them. */
  readonly redirectUris?: readonly string[];
  /** The most the client may be granted. */
  readonly scopes: readonly string[];
}

export const COURSE_APP_CLIENT: SmartClient = {
  clientId: 'forloebsoverblik',
  name: 'Forløbsoverblik',
  redirectPaths: ['/app/', '/app/index.html'],
  scopes: [
    'launch', 'launch/patient', 'launch/encounter', 'openid', 'fhirUser', 'profile', 'offline_access', 'online_access',
    'patient/*.rs', 'patient/QuestionnaireResponse.c', 'patient/Observation.c',
  ],
};

export function redirectAllowed(client: SmartClient, redirectUri: string, origin: string): boolean {
  if (client.redirectUris?.includes(redirectUri)) return true;
  return (client.redirectPaths ?? []).some((path) => `${origin}${path}` === redirectUri);
}
