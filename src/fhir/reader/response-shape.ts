/**
 * What a FHIR answer must look like before anything downstream touches it. fhirclient hands back whatever the
 * server sent (a string for text/html, '' for an empty body), so nothing is trusted until it passes here.
 */
import type { Resource } from 'fhir/r4.js';
import { FhirResponseShapeError, type FhirRequestInfo } from './errors.js';

export interface BundlePage {
  readonly resources: Resource[];
  /** The `next` link exactly as the server wrote it (not yet checked against the base). */
  readonly next: string | undefined;
  readonly self: string | undefined;
  /** `Bundle.total` when the server gave a non-negative integer: what lets further pages be fetched in parallel. */
  readonly total: number | undefined;
  readonly notes: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A FHIR resource in the loosest sense: an object with a non-empty string `resourceType`. */
export function isResource(value: unknown): value is Resource {
  return isObject(value) && typeof value.resourceType === 'string' && value.resourceType.length > 0;
}

function describeBody(body: unknown): string {
  if (typeof body === 'string') return body.length === 0 ? 'an empty body' : 'text, not FHIR JSON';
  if (Array.isArray(body)) return 'a JSON array';
  if (isObject(body)) {
    return typeof body.resourceType === 'string' ? `a ${body.resourceType}` : 'an object without resourceType';
  }
  return `a JSON ${body === null ? 'null' : typeof body}`;
}

/** A single resource of the expected type (and id, when the server states one). */
export function readResource<T extends Resource>(body: unknown, type: string, id: string, info: FhirRequestInfo): T {
  if (!isResource(body) || body.resourceType !== type) {
    throw new FhirResponseShapeError(`expected a ${type}, got ${describeBody(body)}`, info);
  }
  if (body.id !== undefined && body.id !== id) {
    throw new FhirResponseShapeError(`expected ${type} ${id}, got another id`, info);
  }
  return body as T;
}

/**
 * One page of a Bundle: its entries' resources and its `next` link. An entry that is not an object holding a
 * resource makes the whole page unusable: counting rules must not run on a silently shortened history. Entries
 * with `search.mode` 'outcome' are the server's warnings about the search, not data: they become notes.
 */
export function readBundlePage(body: unknown, info: FhirRequestInfo): BundlePage {
  if (!isResource(body) || body.resourceType !== 'Bundle') {
    throw new FhirResponseShapeError(`expected a Bundle, got ${describeBody(body)}`, info);
  }
  const bundle = body as unknown as Record<string, unknown>;
  const entries = bundle.entry ?? [];
  if (!Array.isArray(entries)) throw new FhirResponseShapeError('Bundle.entry is not a list', info);
  const resources: Resource[] = [];
  const notes: string[] = [];
  entries.forEach((entry: unknown, index) => {
    if (!isObject(entry)) throw new FhirResponseShapeError(`Bundle.entry[${index}] is not an object`, info);
    if (!isResource(entry.resource)) {
      throw new FhirResponseShapeError(`Bundle.entry[${index}] has no resource`, info);
    }
    const mode = isObject(entry.search) ? entry.search.mode : undefined;
    if (mode === 'outcome' || (entry.resource.resourceType === 'OperationOutcome' && mode !== 'match')) {
      notes.push(`server reported an OperationOutcome with the search (${info.url})`);
      return;
    }
    resources.push(entry.resource);
  });
  const total = typeof bundle.total === 'number' && Number.isSafeInteger(bundle.total) && bundle.total >= 0
    ? bundle.total
    : undefined;
  return { resources, next: linkUrl(bundle.link, 'next', info), self: linkUrl(bundle.link, 'self', info), total, notes };
}

function linkUrl(links: unknown, relation: string, info: FhirRequestInfo): string | undefined {
  if (links === undefined) return undefined;
  if (!Array.isArray(links)) throw new FhirResponseShapeError('Bundle.link is not a list', info);
  const link: unknown = links.find((l: unknown) => isObject(l) && l.relation === relation);
  if (link === undefined) return undefined;
  const url = (link as Record<string, unknown>).url;
  if (typeof url !== 'string' || url.length === 0) {
    throw new FhirResponseShapeError(`Bundle link '${relation}' has no url`, info);
  }
  return url;
}
