/**
 * Writes Bundles (our demo patients) as a Bulk Data NDJSON folder: one `<Type>.ndjson` per resource type, one
 * resource per line, as `$export` would write them. References stay as the Bundles have them (relative
 * `Type/id`), which is what an export holds.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Bundle } from 'fhir/r4.js';

export async function writeBundlesAsNdjson(bundles: readonly Bundle[], outDir: string): Promise<Record<string, number>> {
  mkdirSync(outDir, { recursive: true });
  const streams = new Map<string, WriteStream>();
  const counts: Record<string, number> = {};
  for (const bundle of bundles) {
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource?.resourceType) continue;
      let stream = streams.get(resource.resourceType);
      if (!stream) {
        stream = createWriteStream(join(outDir, `${resource.resourceType}.ndjson`));
        streams.set(resource.resourceType, stream);
      }
      stream.write(`${JSON.stringify(resource)}\n`);
      counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
    }
  }
  await Promise.all([...streams.values()].map((s) => new Promise<void>((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())))));
  return counts;
}
