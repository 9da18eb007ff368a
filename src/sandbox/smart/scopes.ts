/**
 * SMART App Launch v2 scopes (and v1's `.read`/`.write`/`.*`, which v2 servers still accept): parsing, narrowing a
 * request to what a client may have, and checking one FHIR interaction against a granted set.
 */

/** v2 interactions: create, read, update, delete, search. */
export type Interaction = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  readonly context: 'patient' | 'user' | 'system';
  /** A resource type or '*'. */
  readonly type: string;
  readonly interactions: ReadonlySet<Interaction>;
  /** The scope as written, kept so that a grant repeats the client's own words. */
  readonly text: string;
}

/** The non-resource scopes this server understands. */
export const CONTEXT_SCOPES = ['launch', 'launch/patient', 'launch/encounter', 'openid', 'fhirUser', 'profile', 'offline_access', 'online_access'] as const;

const V1_INTERACTIONS: Readonly<Record<string, readonly Interaction[]>> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': ['c', 'r', 'u', 'd', 's'],
};

export function parseResourceScope(text: string): ResourceScope | undefined {
  const match = /^(patient|user|system)\/([A-Z][A-Za-z]+|\*)\.([a-z*]+)(\?.*)?$/.exec(text);
  if (!match) return undefined;
  const [, context, type, permissions, query] = match;
  // Granular scopes (`?category=...`) narrow a read; we do not implement them, so we do not pretend to grant them.
  if (query) return undefined;
  const v1 = V1_INTERACTIONS[permissions!];
  let interactions: Interaction[];
  if (v1) interactions = [...v1];
  else if (/^c?r?u?d?s?$/.test(permissions!) && permissions!.length > 0) interactions = [...permissions!] as Interaction[];
  else return undefined;
  return { context: context as ResourceScope['context'], type: type!, interactions: new Set(interactions), text };
}

export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

/** Does `wanted` ask for nothing more than `allowed` gives (same context, type within, interactions within)? */
function covers(allowed: ResourceScope, wanted: ResourceScope): boolean {
  if (allowed.context !== wanted.context) return false;
  if (allowed.type !== '*' && allowed.type !== wanted.type) return false;
  for (const i of wanted.interactions) if (!allowed.interactions.has(i)) return false;
  return true;
}

/**
 * The scopes of `requested` that the client may have: context scopes it is registered for, resource scopes within
 * one of its resource scopes. SMART lets a server grant less than asked; the token response says what was granted.
 */
export function grantable(requested: readonly string[], clientScopes: readonly string[]): string[] {
  const clientResource = clientScopes.map(parseResourceScope).filter((s): s is ResourceScope => s !== undefined);
  return requested.filter((text) => {
    if ((CONTEXT_SCOPES as readonly string[]).includes(text)) return clientScopes.includes(text);
    const scope = parseResourceScope(text);
    return scope !== undefined && clientResource.some((allowed) => covers(allowed, scope));
  });
}

/** Is `interaction` on `type` within the granted scopes, in the given context (patient- or user-level)? */
export function permits(granted: readonly string[], type: string, interaction: Interaction): ResourceScope | undefined {
  for (const text of granted) {
    const scope = parseResourceScope(text);
    if (scope && (scope.type === '*' || scope.type === type) && scope.interactions.has(interaction)) return scope;
  }
  return undefined;
}
