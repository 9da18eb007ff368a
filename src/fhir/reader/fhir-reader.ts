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
import { readBundlePage, readResource, type BundlePage } from './response-shape.js';

export * from './errors.js';

export interface FhirReaderOptions {
  /** Base URL of the EHR's FHIR server (the hook request's `fhirServer`). */
  fhirServer: string;
  /** Bearer token (`fhirAuthorization.access_token`); sent to `fhirServer` only. */
  accessToken?: string;
  /** The call's deadline: every request aborts when it fires. */
  signal: AbortSignal;
  /** Pages per search, the first included. Default 10. */
  maxPages?: number;
  /** Resources per search. Default 5000. */
  maxResources?: number;
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
  maxPages: 10,
  maxResources: 5000,
  maxResponseBytes: 10 * 1024 * 1024,
} as const;

/** Throws FhirForbiddenOriginError when `fhirServer` is not a plain http(s) base URL. */
export function createFhirReader(options: FhirReaderOptions): FhirReader {
  const base = parseFhirBase(options.fhirServer);
  const maxPages = Math.max(1, options.maxPages ?? FHIR_READER_DEFAULTS.maxPages);
  const maxResources = Math.max(0, options.maxResources ?? FHIR_READER_DEFAULTS.maxResources);
  const transport = createFhirTransport(base.href, options.accessToken,
    options.maxResponseBytes ?? FHIR_READER_DEFAULTS.maxResponseBytes);
  const { signal } = options;
  let requests = 0;

  const getJson = (url: URL): Promise<unknown> => {
    if (!signal.aborted) requests += 1;
    return transport.getJson(url, signal);
  };

  /** Walks `next` links from a first page; `pageUrl` is where that page came from, when it was fetched. */
  const collect = async (first: BundlePage, pageUrl: URL | undefined): Promise<SearchResult> => {
    const resources: Resource[] = [];
    const notes: string[] = [...first.notes];
    const visited = new Set<string>();
    if (pageUrl) visited.add(pageUrl.href);
    const self = first.self ? safeUrl(first.self, pageUrl?.href ?? base.href) : undefined;
    if (self && isWithinBase(self, base)) visited.add(self.href);

    let page = first;
    let pages = 1;
    let reference = pageUrl?.href ?? base.href;
    let truncated = false;
    const stop = (note: string): void => {
      truncated = true;
      notes.push(note);
    };

    for (;;) {
      resources.push(...page.resources);
      if (resources.length > maxResources || (resources.length === maxResources && page.next)) {
        resources.length = Math.min(resources.length, maxResources);
        stop(`stopped at ${maxResources} resources`);
        break;
      }
      if (!page.next) break;
      const next = safeUrl(page.next, reference);
      if (!next) {
        stop('next link is not a URL; not followed');
        break;
      }
      if (!isWithinBase(next, base)) {
        stop(`next link to ${next.origin} is outside the FHIR server; not followed`);
        break;
      }
      if (visited.has(next.href)) {
        stop(`next link loops back to a page already read (${describeUrl(next)})`);
        break;
      }
      if (pages >= maxPages) {
        stop(`stopped after ${maxPages} pages`);
        break;
      }
      visited.add(next.href);
      page = readBundlePage(await getJson(next), { url: describeUrl(next) });
      notes.push(...page.notes);
      pages += 1;
      reference = next.href;
    }
    return { resources, pages, truncated, notes };
  };

  return {
    get requests() {
      return requests;
    },
    async search(query) {
      const url = resolveWithinBase(query, base);
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

function safeUrl(link: string, reference: string): URL | undefined {
  try {
    return new URL(link, reference);
  } catch {
    return undefined;
  }
}
