import { str } from './guards.js';

/**
 * FHIR references as they appear in real data: relative ('Patient/123', with or without '/_history/2'), absolute
 * ('https://host/fhir/Patient/123'), 'urn:uuid:' inside transaction Bundles (the uuid is the resource id in the
 * Bundles we read), and '#id' for contained resources. Conditional references ('Practitioner?identifier=...') and
 * identifier-only references cannot be resolved.
 */
export type ParsedReference =
  | { readonly kind: 'resource'; readonly type?: string; readonly id: string; readonly absolute: boolean }
  | { readonly kind: 'contained'; readonly id: string }
  | { readonly kind: 'unresolvable' }
  | { readonly kind: 'none' };

const ID = '[A-Za-z0-9\\-\\.]{1,64}';
const RELATIVE = new RegExp(`^([A-Z][A-Za-z]+)/(${ID})(?:/_history/[^/]+)?$`);
const ABSOLUTE = new RegExp(`^https?://.+/([A-Z][A-Za-z]+)/(${ID})(?:/_history/[^/]+)?$`);
const URN_UUID = new RegExp(`^urn:uuid:(${ID})$`);

/** Parses a Reference element (an object with `reference`). */
export function parseReference(element: unknown): ParsedReference {
  const ref = str(element, 'reference');
  if (ref === undefined) return { kind: 'none' };
  return parseReferenceString(ref);
}

export function parseReferenceString(ref: string): ParsedReference {
  if (ref.startsWith('#')) return ref.length > 1 ? { kind: 'contained', id: ref.slice(1) } : { kind: 'unresolvable' };
  let m = RELATIVE.exec(ref);
  if (m) return { kind: 'resource', type: m[1], id: m[2] as string, absolute: false };
  m = ABSOLUTE.exec(ref);
  if (m) return { kind: 'resource', type: m[1], id: m[2] as string, absolute: true };
  m = URN_UUID.exec(ref);
  if (m) return { kind: 'resource', id: m[1] as string, absolute: false };
  return { kind: 'unresolvable' };
}

/** The id a reference points to when it can point to a resource of `type` ('urn:uuid:' can point to any type). */
export function referencedId(element: unknown, type: string): string | undefined {
  const r = parseReference(element);
  if (r.kind !== 'resource') return undefined;
  return r.type === undefined || r.type === type ? r.id : undefined;
}
