/**
 * The app's only door to FHIR: fhirclient's SMART launch (EHR launch with `launch` + `iss`, standalone launch with a
 * patient picker on the authorization server) and every read and write, with errors sorted into the states the
 * clinician sees (expired session, refused write).
 */
import FHIR from 'fhirclient/lib/entry/browser.js';
type Client = Awaited<ReturnType<typeof FHIR.oauth2.ready>>;
import type { Resource } from 'fhir/r4.js';

export const CLIENT_ID = 'forloebsoverblik';
const RESOURCE_SCOPES = 'patient/*.rs patient/QuestionnaireResponse.c patient/Observation.c';
export const EHR_SCOPE = `launch openid fhirUser online_access ${RESOURCE_SCOPES}`;
export const STANDALONE_SCOPE = `launch/patient openid fhirUser online_access ${RESOURCE_SCOPES}`;
/** Where the app is served; the authorization server has it registered as the client's redirect URI. */
const REDIRECT_PATH = '/app/';

export class SessionExpiredError extends Error {
  override readonly name = 'SessionExpiredError';
}
export class WriteRefusedError extends Error {
  override readonly name = 'WriteRefusedError';
}

export interface Session {
  readonly patientId: string;
  readonly encounterId?: string;
  /** The card link's appContext, parsed when it is JSON. */
  readonly appContext?: Record<string, unknown>;
  read<T extends Resource>(path: string): Promise<T>;
  /** Every match of a search, all pages. */
  search<T extends Resource>(query: string): Promise<T[]>;
  create<T extends Resource>(resource: T): Promise<T>;
}

export type LaunchOutcome = { kind: 'session'; session: Session } | { kind: 'redirecting' } | { kind: 'not-launched' };

export async function launch(): Promise<LaunchOutcome> {
  const params = new URLSearchParams(location.search);
  const redirectUri = new URL(REDIRECT_PATH, location.origin).toString();
  if (params.has('launch') && params.has('iss')) {
    await FHIR.oauth2.authorize({ clientId: CLIENT_ID, scope: EHR_SCOPE, redirectUri, pkceMode: 'required' });
    return { kind: 'redirecting' };
  }
  if (params.has('standalone')) {
    const iss = params.get('iss') ?? new URL('/fhir', location.origin).toString();
    await FHIR.oauth2.authorize({ clientId: CLIENT_ID, scope: STANDALONE_SCOPE, redirectUri, iss, pkceMode: 'required' });
    return { kind: 'redirecting' };
  }
  if (!params.has('code') && !sessionStorage.getItem('SMART_KEY')) return { kind: 'not-launched' };
  const client = await FHIR.oauth2.ready();
  return { kind: 'session', session: sessionOf(client) };
}

function sessionOf(client: Client): Session {
  const patientId = client.patient.id;
  if (!patientId) throw new Error('the launch gave no patient');
  const encounterId = client.encounter.id ?? undefined;
  const rawContext = client.state.tokenResponse?.appContext as unknown;
  const appContext = parseContext(rawContext);
  const guard = async <T>(work: () => Promise<T>, writing = false): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
      const message = String((error as Error).message ?? '');
      if (status === 401 || /expired|refresh/i.test(message)) throw new SessionExpiredError(message, { cause: error });
      if (writing && status === 403) throw new WriteRefusedError(message, { cause: error });
      throw error;
    }
  };
  return {
    patientId: String(patientId),
    ...(encounterId ? { encounterId: String(encounterId) } : {}),
    ...(appContext ? { appContext } : {}),
    read: (path) => guard(() => client.request(path)),
    search: (query) => guard(async () => {
      const pages = (await client.request({ url: query }, { pageLimit: 0, flat: true })) as unknown;
      return (Array.isArray(pages) ? pages : []).filter((r) => r && typeof r === 'object' && 'resourceType' in r && (r as Resource).resourceType !== 'OperationOutcome');
    }),
    create: (resource) => guard(() => client.create(resource as never) as Promise<typeof resource>, true),
  };
}

function parseContext(raw: unknown): Record<string, unknown> | undefined {
  if (raw && typeof raw === 'object') return raw as Record<string, unknown>;
  if (typeof raw !== 'string' || raw === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
