import { createHash } from 'node:crypto';
import type { Reference } from 'fhir/r4.js';

/**
 * A name-based UUID (version 5 layout, SHA-1 of a fixed namespace and the resource's `Type/id`): the same
 * resource gets the same `urn:uuid:` fullUrl on every run, so regenerated Bundles are byte-identical.
 */
const NAMESPACE = 'https://fhir.structured-course.dk/demo';

export function deterministicUuid(name: string): string {
  const hex = createHash('sha1').update(`${NAMESPACE}\n${name}`).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function fullUrlOf(resourceType: string, id: string): string {
  return `urn:uuid:${deterministicUuid(`${resourceType}/${id}`)}`;
}

/** Relative literal reference; every one of them resolves to an entry of the same Bundle. */
export function ref(resourceType: string, id: string): Reference {
  return { reference: `${resourceType}/${id}` };
}

/** Resource ids of the examples: lowercase kebab-case, at most 64 characters (the FHIR id limit). */
export const EXAMPLE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Two-digit sequence number used in encounter and score ids ('03'), so ids sort in date order. */
export function seq(n: number): string {
  return String(n).padStart(2, '0');
}
