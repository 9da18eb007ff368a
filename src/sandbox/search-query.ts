/**
 * Checks and normalises search parameters before they reach fhir-router, and builds paging links.
 *
 * fhir-router answers an unknown parameter with zero results, which hides client bugs; a real server answers 400
 * naming the parameter (FHIR search.html#errors) unless the client sends `Prefer: handling=lenient`, in which case
 * the parameter is ignored. Paging is ours too: fhir-router returns no `next` links.
 */
import { getSearchParameter, SUPPORTED_SEARCH_TYPES } from './fhir-definitions.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface SearchProblem {
  /** The parameter as the client wrote it (name with modifier). */
  readonly parameter: string;
  readonly message: string;
}

export interface PreparedSearch {
  /** Parameters for fhir-router's search (paging normalised to `_count`/`_offset`). */
  readonly query: Record<string, string | string[]>;
  /** The accepted parameters, in order, without paging: the basis of `self`/`next` links. */
  readonly linkParams: readonly (readonly [string, string])[];
  readonly count: number;
  readonly offset: number;
  /** Parameters refused (strict) or ignored (lenient). */
  readonly problems: readonly SearchProblem[];
}

/** Result parameters we honour (or harmlessly ignore), kept in links. */
const RESULT_PARAMETERS: ReadonlySet<string> = new Set(['_sort', '_summary', '_total', '_format', '_pretty', '_elements']);
const STRING_MODIFIERS: ReadonlySet<string> = new Set(['exact', 'contains']);

export function prepareSearch(resourceType: string, pairs: readonly (readonly [string, string])[]): PreparedSearch {
  const problems: SearchProblem[] = [];
  const linkParams: [string, string][] = [];
  let count = DEFAULT_PAGE_SIZE;
  let offset = 0;

  for (const [key, value] of pairs) {
    if (key === '_' ) {
      continue; // cache buster some clients add
    }
    if (key === '_count' || key === '_offset' || key === '_getpagesoffset') {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
        problems.push({ parameter: key, message: `${key} must be a non-negative integer` });
      } else if (key === '_count') {
        count = Math.min(n, MAX_PAGE_SIZE);
      } else {
        offset = n;
      }
      continue;
    }
    if (value === '') {
      continue; // FHIR: empty parameters are ignored
    }
    const problem = checkParameter(resourceType, key, value);
    if (problem) {
      problems.push({ parameter: key, message: problem });
      continue;
    }
    if (key === '_summary' && value === 'count') {
      count = 0;
    }
    linkParams.push([key, value]);
  }

  const query: Record<string, string | string[]> = {};
  for (const [key, value] of linkParams) {
    if (key === '_summary' && value !== 'count') {
      continue; // fhir-router does not shape summaries; full resources are a valid answer
    }
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  query._count = String(count);
  query._offset = String(offset);
  return { query, linkParams, count, offset, problems };
}

function checkParameter(resourceType: string, key: string, value: string): string | undefined {
  if (key === '_sort') {
    const unknown = value
      .split(',')
      .map((field) => field.replace(/^-/, ''))
      .filter((code) => !isSupported(resourceType, code));
    return unknown.length ? `Unknown _sort parameter "${unknown.join(', ')}" for ${resourceType}` : undefined;
  }
  if (RESULT_PARAMETERS.has(key)) {
    return undefined;
  }
  if (key.startsWith('_include') || key.startsWith('_revinclude') || key.startsWith('_has') || key.includes('.')) {
    return `Search parameter "${key}" is not supported by this server`;
  }
  const colon = key.indexOf(':');
  const code = colon >= 0 ? key.slice(0, colon) : key;
  const modifier = colon >= 0 ? key.slice(colon + 1) : '';
  const param = getSearchParameter(resourceType, code);
  if (!param || !isSupported(resourceType, code)) {
    return `Unknown search parameter "${code}" for ${resourceType}`;
  }
  if (!modifier || modifier === 'missing') {
    return undefined;
  }
  const allowed =
    (param.type === 'string' && STRING_MODIFIERS.has(modifier)) ||
    (param.type === 'token' && modifier === 'not') ||
    (param.type === 'reference' && /^[A-Z][A-Za-z]+$/.test(modifier) && !value.includes('/'));
  return allowed ? undefined : `Modifier ":${modifier}" is not supported for search parameter "${code}"`;
}

function isSupported(resourceType: string, code: string): boolean {
  const param = getSearchParameter(resourceType, code);
  return Boolean(param?.expression) && (SUPPORTED_SEARCH_TYPES as readonly string[]).includes(param?.type ?? '');
}

/** `self`, `first`, `previous` and `next` links as absolute URLs on the given type endpoint. */
export function pagingLinks(
  typeUrl: string,
  search: PreparedSearch,
  total: number,
): { relation: string; url: string }[] {
  const url = (offset: number): string => {
    const params = new URLSearchParams(search.linkParams.map(([k, v]) => [k, v]));
    params.set('_count', String(search.count));
    params.set('_offset', String(offset));
    return `${typeUrl}?${params.toString()}`;
  };
  const links = [
    { relation: 'self', url: url(search.offset) },
    { relation: 'first', url: url(0) },
  ];
  if (search.count > 0 && search.offset > 0) {
    links.push({ relation: 'previous', url: url(Math.max(0, search.offset - search.count)) });
  }
  if (search.count > 0 && search.offset + search.count < total) {
    links.push({ relation: 'next', url: url(search.offset + search.count) });
  }
  return links;
}
