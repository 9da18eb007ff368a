/**
 * fhir-router's MemoryRepository with a reference index and a faster search.
 *
 * MemoryRepository scans every resource of the type and re-parses FHIRPath per resource. Searches by patient are the
 * only ones our service sends, so we index every resource by the references it holds and by id: a search narrows to
 * the candidates first, then every filter (including the indexed one) is checked exactly with compiled FHIRPath.
 * Default order is insertion order, so paging through a result is stable.
 */
import { MemoryRepository } from '@medplum/fhir-router';
import { Operator, deepClone } from '@medplum/core';
import type { Filter, SearchRequest, WithId } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { matchesAllFilters, normalizeReference, sortKey } from './search-matcher.js';

/** Reference parameters whose values are always Reference elements, so the reference index is a superset. */
const INDEXED_REFERENCE_CODES: ReadonlySet<string> = new Set([
  'patient', 'subject', 'encounter', 'episode-of-care', 'episodeofcare', 'based-on', 'part-of',
]);

export class IndexedRepository extends MemoryRepository {
  private readonly store = new Map<string, Map<string, WithId<Resource>>>();
  /** resourceType -> reference key ('Patient/1' and 'id:1') -> ids holding that reference. */
  private readonly referenceIndex = new Map<string, Map<string, Set<string>>>();
  private readonly sequence = new Map<string, number>();
  private nextSequence = 0;

  override clear(): void {
    super.clear();
    this.store.clear();
    this.referenceIndex.clear();
    this.sequence.clear();
  }

  /** Number of stored resources, per type when given. */
  count(resourceType?: string): number {
    if (resourceType) {
      return this.store.get(resourceType)?.size ?? 0;
    }
    let total = 0;
    for (const byId of this.store.values()) {
      total += byId.size;
    }
    return total;
  }

  /** Types that hold at least one resource. */
  resourceTypes(): string[] {
    return [...this.store.entries()].filter(([, byId]) => byId.size > 0).map(([type]) => type);
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const result = await super.createResource(resource);
    const { resourceType, id } = result;
    const previous = this.store.get(resourceType)?.get(id);
    if (previous) {
      this.unindex(previous);
    }
    let byId = this.store.get(resourceType);
    if (!byId) {
      byId = new Map();
      this.store.set(resourceType, byId);
    }
    // Our own copy: the returned one belongs to the caller.
    const stored = deepClone(result) as WithId<Resource>;
    byId.set(id, stored);
    const key = `${resourceType}/${id}`;
    if (!this.sequence.has(key)) {
      this.sequence.set(key, this.nextSequence++);
    }
    this.index(stored);
    return result;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    const previous = this.store.get(resourceType)?.get(id);
    if (previous) {
      this.unindex(previous);
      this.store.get(resourceType)?.delete(id);
    }
  }

  override async search<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    if (searchRequest.types?.length) {
      return super.search(searchRequest);
    }
    const { resourceType } = searchRequest;
    const filters = searchRequest.filters ?? [];
    const candidates = this.candidates(resourceType, filters);
    let matches = candidates.filter((resource) => matchesAllFilters(resource, filters));

    const rules = searchRequest.sortRules ?? [];
    if (rules.length > 0) {
      const keyed = matches.map((resource) => ({ resource, keys: rules.map((rule) => sortKey(resource, rule)) }));
      keyed.sort((a, b) => {
        for (let i = 0; i < rules.length; i++) {
          const x = a.keys[i] ?? '';
          const y = b.keys[i] ?? '';
          if (x !== y) {
            // Resources without a value sort last whatever the direction.
            if (!x || !y) {
              return x ? -1 : 1;
            }
            return (x < y ? -1 : 1) * (rules[i]?.descending ? -1 : 1);
          }
        }
        return 0;
      });
      matches = keyed.map((k) => k.resource);
    }

    const offset = Math.max(0, searchRequest.offset ?? 0);
    const count = searchRequest.count ?? matches.length;
    const page = matches.slice(offset, offset + Math.max(0, count));
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      entry: page.map((resource) => ({ resource: deepClone(resource) })),
    };
    return bundle as Bundle<WithId<T>>;
  }

  /** Resources that may match, in insertion order: narrowed by _id and indexed reference filters when present. */
  private candidates(resourceType: string, filters: readonly Filter[]): WithId<Resource>[] {
    const byId = this.store.get(resourceType);
    if (!byId) {
      return [];
    }
    let ids: Set<string> | undefined;
    for (const filter of filters) {
      if (filter.operator !== Operator.EQUALS) {
        continue;
      }
      let found: Set<string> | undefined;
      if (filter.code === '_id') {
        found = new Set(filter.value.split(','));
      } else if (INDEXED_REFERENCE_CODES.has(filter.code)) {
        found = new Set();
        const index = this.referenceIndex.get(resourceType);
        for (const value of filter.value.split(',')) {
          const key = value.includes('/') ? normalizeReference(value) : `id:${value}`;
          for (const id of index?.get(key) ?? []) {
            found.add(id);
          }
        }
      }
      if (found) {
        ids = ids ? new Set([...ids].filter((id) => found.has(id))) : found;
      }
    }
    if (!ids) {
      return [...byId.values()];
    }
    const result: WithId<Resource>[] = [];
    for (const id of ids) {
      const resource = byId.get(id);
      if (resource) {
        result.push(resource);
      }
    }
    const order = (r: Resource): number => this.sequence.get(`${r.resourceType}/${r.id}`) ?? 0;
    return result.sort((a, b) => order(a) - order(b));
  }

  private index(resource: WithId<Resource>): void {
    let index = this.referenceIndex.get(resource.resourceType);
    if (!index) {
      index = new Map();
      this.referenceIndex.set(resource.resourceType, index);
    }
    for (const key of referenceKeys(resource)) {
      let ids = index.get(key);
      if (!ids) {
        ids = new Set();
        index.set(key, ids);
      }
      ids.add(resource.id);
    }
  }

  private unindex(resource: WithId<Resource>): void {
    const index = this.referenceIndex.get(resource.resourceType);
    for (const key of referenceKeys(resource)) {
      index?.get(key)?.delete(resource.id);
    }
  }
}

/** Every `reference` string in the resource, as 'Type/id' and as 'id:<id>' (for bare-id searches). */
function referenceKeys(resource: Resource): Set<string> {
  const keys = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'reference' && typeof v === 'string') {
          const normalized = normalizeReference(v);
          keys.add(normalized);
          const slash = normalized.indexOf('/');
          if (slash > 0) {
            keys.add(`id:${normalized.slice(slash + 1)}`);
          }
        } else if (k !== 'text' && k !== 'contained') {
          visit(v);
        }
      }
    }
  };
  visit(resource);
  return keys;
}
