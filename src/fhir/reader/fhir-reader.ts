/**
 * Reads FHIR from the EHR's server for one hook call. One reader per call: it holds the call's token and deadline.
 *
 * What it guarantees, whatever the server does:
 * - the bearer token goes on every request, and only to URLs on the server's origin under its base path;
 * - every request aborts at the call's deadline (`signal`); redirects are refused, not followed;
 * - paging follows `next` links itself (fhirclient would follow them anywhere, token included), bounded by pages,
 *   resources and bytes; a loop, a bound or a foreign link stops paging and is reported in `truncated`/`notes`;
 * - every answer is shape-checked; every failure is one of the typed errors in errors.ts.
 */
import type { Bundle, Resource } from 'fhir/r4.js';
import { createFhirTransport } from './fhir-transport.js';
import { describeUrl, isWithinBase, parseFhirBase, resolveWithinBase, resourceUrl } from './fhir-url.js';
import { mapLimited, planOffsetPages } from './offset-paging.js';
import { readBundlePage, readResource, type BundlePage } from './response-shape.js';

export * from './errors.js';

export interface FhirReaderOptions {
  /** Base URL of the EHR's FHIR server (the hook request's `fhirServer`). */
  fhirServer: string;
  /** Bearer token (`fhirAuthorization.access_token`); sent to `fhirServer` only. */
  accessToken?: string;
  /**
   * The call's deadline: every request aborts when it fires. A function is called at the first request, so that a
   * call which reads nothing never arms a timer.
   */
  signal: AbortSignal | (() => AbortSignal);
  /** Pages per search, the first included. Default 30. */
  maxPages?: number;
  /** Resources per search. Default 10,000. */
  maxResources?: number;
  /**
   * Asks for pages of at least this many entries: a search's `_count` below it is raised (servers cap it at their
   * own maximum), so a long history takes fewer round trips. Default: the query's own `_count`.
   */
  pageSize?: number;
  /** Bytes per response body; a larger answer fails with FhirResponseTooLargeError. Default 10 MiB. */
  maxResponseBytes?: number;
}

export interface SearchResult {
  resources: Resource[];
  /** Pages read, the first (or the prefetched Bundle) included. */
  pages: number;
  /** True when more data exists than was read: a bound was hit, a `next` link looped or pointed elsewhere. */
  truncated: boolean;
  /** Why it was truncated, and the server's search warnings; never the token, never a query string. */
  notes: string[];
  /** Set when the search stopped at one of the reader's bounds (not at a loop or a foreign link). */
  bound?: SearchBound;
}

/** Which bound a search stopped at, its value, and how many the server said there were, when it said. */
export interface SearchBound {
  readonly kind: 'resources' | 'pages';
  readonly limit: number;
  readonly found?: number;
}

export interface FhirReader {
  /** A search relative to the base, e.g. 'Encounter?patient=123&_count=200'; follows `next` within the bounds. */
  search(query: string): Promise<SearchResult>;
  read<T extends Resource>(type: string, id: string): Promise<T>;
  /** The entries of a (prefetched) Bundle plus its next pages, within the same bounds as `search`. */
  followBundle(bundle: Bundle): Promise<SearchResult>;
  /** HTTP requests sent so far, for logs and benchmarks. */
  readonly requests: number;
}

export const FHIR_READER_DEFAULTS = {
  maxPages: 30,
  maxResources: 10_000,
  maxResponseBytes: 10 * 1024 * 1024,
} as const;

/** Throws FhirForbiddenOriginError when `fhirServer` is not a plain http(s) base URL. */
export function createFhirReader(options: FhirReaderOptions): FhirReader {
  const base = parseFhirBase(options.fhirServer);
  const maxPages = Math.max(1, options.maxPages ?? FHIR_READER_DEFAULTS.maxPages);
  const maxResources = Math.max(0, options.maxResources ?? FHIR_READER_DEFAULTS.maxResources);
  const transport = createFhirTransport(base.href, options.accessToken,
    options.maxResponseBytes ?? FHIR_READER_DEFAULTS.maxResponseBytes);
  let requests = 0;
  // The deadline's timer is armed by the first request, not for calls that never read the server.
  let signal: AbortSignal | undefined = typeof options.signal === 'function' ? undefined : options.signal;
  const callSignal = (): AbortSignal => (signal ??= (options.signal as () => AbortSignal)());

  const getJson = (url: URL): Promise<unknown> => {
    const s = callSignal();
    if (!s.aborted) requests += 1;
    return transport.getJson(url, s);
  };

  /**
   * Reads the pages after `first`: all at once when the server pages by offset and states `total` (see
   * offset-paging.ts), else (and after that, should the server's `total` have been short) by following `next` links
   * one by one. `pageUrl` is where the first page came from, when it was fetched.
   */
  const collect = async (first: BundlePage, pageUrl: URL | undefined): Promise<SearchResult> => {
    const resources: Resource[] = [...first.resources];
    const notes: string[] = [...first.notes];
    const visited = new Set<string>();
    if (pageUrl) visited.add(pageUrl.href);
    const self = first.self ? safeUrl(first.self, pageUrl?.href ?? base.href) : undefined;
    if (self && isWithinBase(self, base)) visited.add(self.href);

    let page = first;
    let pages = 1;
    let reference = pageUrl?.href ?? base.href;
    let bound: SearchBound | undefined;
    let truncated = false;
    const stop = (note: string, hit?: SearchBound): SearchResult => {
      notes.push(note);
      if (hit) bound = hit;
      truncated = true;
      return result();
    };
    const result = (): SearchResult => ({ resources, pages, truncated, notes, ...(bound ? { bound } : {}) });
    const overLimit = (): boolean => resources.length > maxResources || (resources.length === maxResources && Boolean(page.next));

    if (first.total !== undefined && first.total > maxResources) {
      resources.length = Math.min(resources.length, maxResources);
      return stop(`the search matches ${first.total} resources, more than ${maxResources}`,
        { kind: 'resources', limit: maxResources, found: first.total });
    }
    // One parallel wave for every further page, when the server's links allow it.
    const firstNext = first.next ? checkedNext(first.next, reference) : undefined;
    const plan = firstNext && !('refusal' in firstNext)
      ? planOffsetPages(firstNext.url, first.resources.length, first.total)
      : undefined;
    if (plan) {
      if (1 + plan.urls.length > maxPages) {
        return stop(`the search needs ${1 + plan.urls.length} pages, more than ${maxPages}`,
          { kind: 'pages', limit: maxPages, found: 1 + plan.urls.length });
      }
      const read = await mapLimited(plan.urls, MAX_PARALLEL_PAGES, async (url) =>
        readBundlePage(await getJson(url), { url: describeUrl(url) }));
      read.forEach((p, i) => {
        visited.add(plan.urls[i]!.href);
        resources.push(...p.resources);
        notes.push(...p.notes);
      });
      pages += read.length;
      page = read[read.length - 1]!;
      reference = plan.urls[plan.urls.length - 1]!.href;
    }

    for (;;) {
      if (overLimit()) {
        resources.length = Math.min(resources.length, maxResources);
        return stop(`stopped at ${maxResources} resources`, { kind: 'resources', limit: maxResources });
      }
      if (!page.next) return result();
      const next = checkedNext(page.next, reference);
      if ('refusal' in next) return stop(next.refusal);
      if (visited.has(next.url.href)) {
        return stop(`next link loops back to a page already read (${describeUrl(next.url)})`);
      }
      if (pages >= maxPages) return stop(`stopped after ${maxPages} pages`, { kind: 'pages', limit: maxPages });
      visited.add(next.url.href);
      page = readBundlePage(await getJson(next.url), { url: describeUrl(next.url) });
      resources.push(...page.resources);
      notes.push(...page.notes);
      pages += 1;
      reference = next.url.href;
    }
  };

  /** A `next` link as a URL on the server, or why it is not followed. */
  const checkedNext = (link: string, reference: string): { url: URL } | { refusal: string } => {
    const next = safeUrl(link, reference);
    if (!next) return { refusal: 'next link is not a URL; not followed' };
    if (!isWithinBase(next, base)) return { refusal: `next link to ${next.origin} is outside the FHIR server; not followed` };
    return { url: next };
  };

  return {
    get requests() {
      return requests;
    },
    async search(query) {
      const url = widenPage(resolveWithinBase(query, base), options.pageSize);
      const first = readBundlePage(await getJson(url), { url: describeUrl(url) });
      return collect(first, url);
    },
    async read<T extends Resource>(type: string, id: string): Promise<T> {
      const url = resourceUrl(type, id, base);
      return readResource<T>(await getJson(url), type, id, { url: describeUrl(url) });
    },
    async followBundle(bundle) {
      return collect(readBundlePage(bundle, { url: 'prefetched Bundle' }), undefined);
    },
  };
}

/** Further pages of one search read at the same time: one wave for a long history, without flooding the server. */
const MAX_PARALLEL_PAGES = 8;

/** The query with `_count` raised to `pageSize` when it asks for less (or does not say). */
function widenPage(url: URL, pageSize: number | undefined): URL {
  if (pageSize === undefined) return url;
  const count = url.searchParams.get('_count');
  if (count !== null && /^\d+$/.test(count) && Number(count) >= pageSize) return url;
  // Only `_count` changes; the rest of the query keeps the bytes it had.
  const rest = url.search.slice(1).split('&').filter((pair) => pair !== '' && !pair.startsWith('_count='));
  const widened = new URL(url.href);
  widened.search = [...rest, `_count=${pageSize}`].join('&');
  return widened;
}

function safeUrl(link: string, reference: string): URL | undefined {
  try {
    return new URL(link, reference);
  } catch {
    return undefined;
  }
}
