/**
 * Turns a hook request's `prefetch` into data, fetching what the EHR did not (or could not) send, as CDS Hooks
 * 2.0 asks: a key that is absent -> fetch it; `null` -> the EHR has no such data; an OperationOutcome (or anything
 * that is not a resource) -> the EHR's prefetch failed, fetch it. All fetches of a call run in parallel.
 */
import type { Bundle, Resource } from 'fhir/r4.js';
import type { FhirReader, SearchBound } from './reader/fhir-reader.js';
import { isResource, readBundlePage } from './reader/response-shape.js';

export type PrefetchOutcome =
  | {
    status: 'ok'; source: 'prefetch' | 'fetched'; resources: Resource[]; truncated: boolean; notes: string[];
    /** Set when reading stopped at one of the reader's bounds. */
    bound?: SearchBound;
  }
  /** The EHR sent `null`: it has no such data. */
  | { status: 'none' }
  | { status: 'failed'; error: Error; reason: PrefetchFailureReason };

export const PrefetchFailureReason = {
  /** The request has no usable fhirServer, so nothing missing can be fetched. */
  noFhirServer: 'no-fhir-server',
  /** A template token has no value in the context (e.g. no encounterId). */
  unfillableTemplate: 'unfillable-template',
  /** The fetch (or the paging of a prefetched Bundle) failed: `error` is one of the reader's typed errors. */
  fetchFailed: 'fetch-failed',
} as const;
export type PrefetchFailureReason = (typeof PrefetchFailureReason)[keyof typeof PrefetchFailureReason];

/** Raised (inside a 'failed' outcome, never thrown) when a key cannot be had without a FHIR server or a token. */
export class PrefetchUnavailableError extends Error {
  override readonly name = 'PrefetchUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const TOKEN = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g;
/** The spec's user tokens, derived from `context.userId` ('Practitioner/123' -> userPractitionerId '123'). */
const USER_TOKENS: Record<string, string> = {
  Practitioner: 'userPractitionerId',
  PractitionerRole: 'userPractitionerRoleId',
  Patient: 'userPatientId',
  RelatedPerson: 'userRelatedPersonId',
};

/**
 * Fills `{{context.x}}` and the user tokens (`{{userPractitionerId}}`...) of a prefetch template; `extra` adds or
 * overrides tokens by name. Values are URL-encoded, so a context value can never add a parameter or a path
 * segment. Undefined when a token has no string or number value: the key is then skipped, as the spec says.
 */
export function fillTemplate(template: string, context: Record<string, unknown>, extra?: Record<string, string>):
  string | undefined {
  const tokens: Record<string, string> = { ...userTokens(context.userId), ...extra };
  let unfillable = false;
  const filled = template.replace(TOKEN, (_match, name: string) => {
    const value = name.startsWith('context.') ? pathValue(context, name.slice('context.'.length)) : tokens[name];
    if ((typeof value !== 'string' || value.length === 0) && (typeof value !== 'number' || !Number.isFinite(value))) {
      unfillable = true;
      return '';
    }
    return encodeURIComponent(String(value));
  });
  return unfillable ? undefined : filled;
}

function userTokens(userId: unknown): Record<string, string> {
  if (typeof userId !== 'string') return {};
  const [type, id, ...rest] = userId.split('/');
  const token = type ? USER_TOKENS[type] : undefined;
  return token && id && rest.length === 0 ? { [token]: id } : {};
}

function pathValue(root: Record<string, unknown>, path: string): unknown {
  let value: unknown = root;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export async function resolvePrefetch(args: {
  templates: Record<string, string>;
  prefetch: Record<string, unknown> | undefined;
  context: Record<string, unknown>;
  /** Absent when the request has no usable fhirServer. */
  reader?: FhirReader;
  /** Extra template tokens by name, passed to fillTemplate. */
  tokens?: Record<string, string>;
}): Promise<Record<string, PrefetchOutcome>> {
  const keys = Object.keys(args.templates);
  const settled = await Promise.allSettled(keys.map((key) => resolveKey(key, args)));
  const outcomes: Record<string, PrefetchOutcome> = {};
  settled.forEach((result, index) => {
    outcomes[keys[index]!] = result.status === 'fulfilled'
      ? result.value
      : failed(PrefetchFailureReason.fetchFailed, result.reason);
  });
  return outcomes;
}

async function resolveKey(key: string, args: Parameters<typeof resolvePrefetch>[0]): Promise<PrefetchOutcome> {
  const { prefetch, reader } = args;
  const sent = prefetch !== undefined && Object.hasOwn(prefetch, key);
  const value = sent ? prefetch[key] : undefined;
  if (sent && value === null) return { status: 'none' };

  if (isResource(value) && value.resourceType !== 'OperationOutcome') {
    const usable = await fromPrefetch(value, reader);
    if (usable) return usable;
  }
  return fetchKey(args.templates[key]!, args);
}

/** The prefetched value as data; undefined when it is a malformed Bundle, which is then fetched instead. */
async function fromPrefetch(value: Resource, reader: FhirReader | undefined): Promise<PrefetchOutcome | undefined> {
  if (value.resourceType !== 'Bundle') {
    return { status: 'ok', source: 'prefetch', resources: [value], truncated: false, notes: [] };
  }
  let page;
  try {
    page = readBundlePage(value, { url: 'prefetched Bundle' });
  } catch {
    return undefined;
  }
  if (!page.next) {
    return { status: 'ok', source: 'prefetch', resources: page.resources, truncated: false, notes: page.notes };
  }
  if (!reader) {
    return {
      status: 'ok', source: 'prefetch', resources: page.resources, truncated: true,
      notes: [...page.notes, 'prefetched Bundle has more pages, but there is no FHIR server to read them from'],
    };
  }
  try {
    return { status: 'ok', source: 'prefetch', ...await reader.followBundle(value as Bundle) };
  } catch (error) {
    return failed(PrefetchFailureReason.fetchFailed, error);
  }
}

async function fetchKey(template: string, args: Parameters<typeof resolvePrefetch>[0]): Promise<PrefetchOutcome> {
  if (!args.reader) {
    return failed(PrefetchFailureReason.noFhirServer,
      new PrefetchUnavailableError('prefetch missing and no FHIR server to fetch it from'));
  }
  const query = fillTemplate(template, args.context, args.tokens);
  if (query === undefined) {
    return failed(PrefetchFailureReason.unfillableTemplate,
      new PrefetchUnavailableError('prefetch template has a token the context cannot fill'));
  }
  try {
    const read = /^([A-Z][A-Za-z]+)\/([^/?#]+)$/.exec(query);
    if (read) {
      const resource = await args.reader.read(read[1]!, decodeURIComponent(read[2]!));
      return { status: 'ok', source: 'fetched', resources: [resource], truncated: false, notes: [] };
    }
    return { status: 'ok', source: 'fetched', ...await args.reader.search(query) };
  } catch (error) {
    return failed(PrefetchFailureReason.fetchFailed, error);
  }
}

function failed(reason: PrefetchFailureReason, error: unknown): PrefetchOutcome {
  return {
    status: 'failed',
    reason,
    error: error instanceof Error ? error : new PrefetchUnavailableError('prefetch failed', { cause: error }),
  };
}
