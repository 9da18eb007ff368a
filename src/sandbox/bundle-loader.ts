/**
 * Loads transaction, batch and collection Bundles (and bare resources) into the repository.
 *
 * fhir-router's own batch processor refuses transactions with more than 50 updates and leaves conditional references
 * (`Practitioner?identifier=...`, as Synthea bulk data writes them) untouched; real patient Bundles have hundreds of
 * entries and both, so writes are done here. Rules, as a FHIR server applies them (http.html#trules):
 * - PUT `Type/id` keeps the id; PUT `Type?search` updates the single match or creates.
 * - POST creates. A `urn:uuid:` fullUrl becomes the id, so reloading the same Bundle replaces rather than
 *   duplicates and test ids are predictable; otherwise a new id is assigned. `ifNoneExist` is honoured.
 * - Entries without a request (collection Bundles) are PUT when they have an id, POST otherwise.
 * - References to fullUrls are rewritten to `Type/id`; conditional references are resolved against the Bundle's own
 *   identifiers, then the repository; unresolvable ones are left as they are and counted.
 */
import { generateId, parseSearchRequest } from '@medplum/core';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { Resource as R4Resource } from 'fhir/r4.js';
import type { IndexedRepository } from './indexed-repository.js';

export interface LoadResult {
  readonly created: number;
  readonly updated: number;
  /** Entries the loader cannot apply (GET, DELETE, PATCH, no resource): counted, not applied. */
  readonly skipped: number;
  readonly unresolvedReferences: number;
  readonly byType: Readonly<Record<string, number>>;
  /** One response entry per input entry, in order (for transaction-response Bundles). */
  readonly responses: readonly BundleEntry[];
}

export class BundleLoadError extends Error {
  override readonly name = 'BundleLoadError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

interface PlannedWrite {
  readonly index: number;
  readonly resource: Resource & { id: string };
  readonly create: boolean;
}

const UUID_URN = /^urn:uuid:([0-9a-fA-F-]{36})$/;
const RESOURCE_TYPE = /^[A-Z][A-Za-z]+$/;

/** True when every entry is a write the loader applies itself (else fhir-router's batch processor handles it). */
export function isLoadableBundle(bundle: Bundle): boolean {
  return (bundle.entry ?? []).every((e) => e.resource && (!e.request || ['PUT', 'POST'].includes(e.request.method)));
}

export async function loadBundle(repo: IndexedRepository, bundle: Bundle): Promise<LoadResult> {
  if (bundle?.resourceType !== 'Bundle') {
    throw new BundleLoadError('Not a Bundle');
  }
  const entries = bundle.entry ?? [];
  const placeholders = new Map<string, string>();
  const identifiers = new Map<string, string>();
  const planned: PlannedWrite[] = [];
  const plannedIds = new Set<string>();
  const responses: BundleEntry[] = new Array(entries.length);
  let skipped = 0;

  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as BundleEntry;
    const source = entry.resource;
    const method = entry.request?.method ?? (source?.id ? 'PUT' : 'POST');
    if (!source || (method !== 'PUT' && method !== 'POST')) {
      skipped++;
      responses[i] = { response: { status: '400 Bad Request' } };
      continue;
    }
    if (!RESOURCE_TYPE.test(source.resourceType ?? '')) {
      throw new BundleLoadError(`Bundle.entry[${i}].resource has no valid resourceType`);
    }
    const resource = structuredClone(source) as Resource & { id: string };
    const url = entry.request?.url ?? '';
    let create = true;
    if (method === 'PUT') {
      const target = url.includes('?') ? await resolveConditional(repo, url) : url;
      const [type, id] = (target || `${resource.resourceType}/${resource.id ?? ''}`).split('/');
      if (type && type !== resource.resourceType) {
        throw new BundleLoadError(`Bundle.entry[${i}]: request.url ${url} does not match ${resource.resourceType}`);
      }
      resource.id = id || resource.id || generateId();
      create = !(await exists(repo, resource.resourceType, resource.id));
    } else {
      const existing = entry.request?.ifNoneExist
        ? await resolveConditional(repo, `${resource.resourceType}?${entry.request.ifNoneExist}`)
        : undefined;
      if (existing) {
        placeholders.set(entry.fullUrl ?? '', existing);
        responses[i] = { response: { status: '200 OK', location: existing } };
        continue;
      }
      const uuid = UUID_URN.exec(entry.fullUrl ?? '')?.[1]?.toLowerCase();
      if (uuid && !plannedIds.has(`${resource.resourceType}/${uuid}`)) {
        resource.id = uuid;
        create = !(await exists(repo, resource.resourceType, uuid));
      } else {
        resource.id = generateId();
      }
    }
    const reference = `${resource.resourceType}/${resource.id}`;
    if (entry.fullUrl) {
      placeholders.set(entry.fullUrl, reference);
    }
    for (const identifier of (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? []) {
      if (identifier.value) {
        identifiers.set(`${resource.resourceType}?identifier=${identifier.system ?? ''}|${identifier.value}`, reference);
        identifiers.set(`${resource.resourceType}?identifier=${identifier.value}`, reference);
      }
    }
    planned.push({ index: i, resource, create });
    plannedIds.add(reference);
  }

  let unresolvedReferences = 0;
  const rewrite = async (reference: string): Promise<string> => {
    const local = placeholders.get(reference);
    if (local) {
      return local;
    }
    if (!reference.includes('?')) {
      return reference;
    }
    const decoded = safeDecode(reference);
    const resolved = identifiers.get(decoded) ?? (await resolveConditional(repo, decoded));
    if (!resolved) {
      unresolvedReferences++;
    }
    return resolved ?? reference;
  };

  let created = 0;
  let updated = 0;
  const byType: Record<string, number> = {};
  for (const write of planned) {
    await rewriteReferences(write.resource, rewrite);
    const stored = await repo.updateResource(write.resource);
    write.create ? created++ : updated++;
    byType[stored.resourceType] = (byType[stored.resourceType] ?? 0) + 1;
    responses[write.index] = {
      response: {
        status: write.create ? '201 Created' : '200 OK',
        location: `${stored.resourceType}/${stored.id}/_history/${stored.meta?.versionId ?? '1'}`,
        etag: `W/"${stored.meta?.versionId ?? '1'}"`,
        lastModified: stored.meta?.lastUpdated,
      },
    };
  }
  return { created, updated, skipped, unresolvedReferences, byType, responses };
}

/** Loads resources one by one (NDJSON lines, fixtures): PUT when they carry an id, POST otherwise. */
export async function loadResources(
  repo: IndexedRepository,
  resources: readonly (Resource | R4Resource)[],
): Promise<LoadResult> {
  return loadBundle(repo, {
    resourceType: 'Bundle',
    type: 'collection',
    entry: resources.map((resource) => ({ resource: resource as Resource })),
  });
}

/** Parses NDJSON (one resource per line, blank lines ignored) as bulk-data exports write it. */
export function parseNdjson(text: string): R4Resource[] {
  const resources: R4Resource[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim();
    if (!line) {
      continue;
    }
    try {
      resources.push(JSON.parse(line) as R4Resource);
    } catch (err) {
      throw new BundleLoadError(`NDJSON line ${i + 1} is not JSON`, { cause: err });
    }
  }
  return resources;
}

async function exists(repo: IndexedRepository, resourceType: string, id: string): Promise<boolean> {
  try {
    await repo.readResource(resourceType, id);
    return true;
  } catch {
    return false;
  }
}

/** `Type?search` to the single matching `Type/id`, or undefined (none, several, or not searchable). */
async function resolveConditional(repo: IndexedRepository, url: string): Promise<string | undefined> {
  try {
    const request = parseSearchRequest(url);
    request.count = 2;
    const found = await repo.searchResources(request);
    return found.length === 1 && found[0] ? `${found[0].resourceType}/${found[0].id}` : undefined;
  } catch {
    return undefined;
  }
}

async function rewriteReferences(value: unknown, rewrite: (reference: string) => Promise<string>): Promise<void> {
  if (Array.isArray(value)) {
    for (const item of value) {
      await rewriteReferences(item, rewrite);
    }
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key === 'reference' && typeof child === 'string') {
        record[key] = await rewrite(child);
      } else if (typeof child === 'object') {
        await rewriteReferences(child, rewrite);
      }
    }
  }
}

function safeDecode(reference: string): string {
  try {
    return decodeURIComponent(reference);
  } catch {
    return reference;
  }
}
