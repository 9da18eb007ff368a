/**
 * Parallel paging: when a server's `next` link pages by offset (`_offset`, as our sandbox and many servers do, or
 * HAPI's `_getpagesoffset`) and the first page states `total`, every further page's URL is known at once. They can
 * then be read in one parallel wave instead of one round trip each. Every planned URL is the server's own `next`
 * link with only its offset changed, so it stays on the origin and base the link was checked against.
 */

/** The offset parameters we recognise, in the order they are looked for. */
const OFFSET_PARAMETERS = ['_offset', '_getpagesoffset'] as const;

export interface OffsetPlan {
  /** The further pages' URLs, in order; the first is the `next` link itself. */
  readonly urls: URL[];
  /** Resources the search has in all, by the server's `total`. */
  readonly total: number;
}

/**
 * The URLs of all pages after the first, or undefined when the `next` link does not page by offset, the first page
 * gave no `total`, or the page size cannot be told (then `next` links are followed one by one).
 */
export function planOffsetPages(next: URL, firstPageSize: number, total: number | undefined): OffsetPlan | undefined {
  if (total === undefined) return undefined;
  const parameter = OFFSET_PARAMETERS.find((p) => next.searchParams.has(p));
  if (!parameter) return undefined;
  const start = nonNegativeInteger(next.searchParams.get(parameter));
  // The page size: the link's own `_count` when it states one, else the first page's length (the first page began at
  // offset 0 and the next one starts where it ended).
  const step = nonNegativeInteger(next.searchParams.get('_count')) ?? (start === firstPageSize ? firstPageSize : undefined);
  if (start === undefined || step === undefined || step === 0 || start === 0) return undefined;
  const urls: URL[] = [];
  for (let offset = start; offset < total; offset += step) {
    const url = new URL(next.href);
    url.searchParams.set(parameter, String(offset));
    urls.push(url);
  }
  return urls.length > 0 ? { urls, total } : undefined;
}

function nonNegativeInteger(value: string | null): number | undefined {
  if (value === null || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

/** Runs `task` over `items` with at most `limit` at a time; results in the items' order; the first failure wins. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  const lane = async (): Promise<void> => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
