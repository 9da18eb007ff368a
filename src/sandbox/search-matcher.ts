/**
 * Evaluates FHIR search filters against a resource with pre-parsed FHIRPath expressions.
 *
 * @medplum/core's matchesSearchRequest re-parses the parameter's FHIRPath on every call; we compile each
 * (type, code) once. The matching semantics follow core's (token system|code, string prefix-insensitive contains,
 * date period overlap), with two additions a real EHR server has: a bare id matches any reference to that id
 * (`patient=123` finds `Patient/123`), and references are compared in their relative `Type/id` form, so absolute
 * URLs and version suffixes still match.
 */
import {
  Operator,
  convertToSearchableDates,
  convertToSearchableReferences,
  convertToSearchableStrings,
  convertToSearchableTokens,
  evalFhirPathTyped,
  parseFhirPath,
  splitSearchOnComma,
  toPeriod,
  toTypedValue,
} from '@medplum/core';
import type { Filter, SortRule } from '@medplum/core';
import type { Period, Resource, SearchParameter } from '@medplum/fhirtypes';
import { getSearchParameter } from './fhir-definitions.js';

type FhirPathAtom = ReturnType<typeof parseFhirPath>;
type TypedValues = ReturnType<typeof evalFhirPathTyped>;

interface CompiledParameter {
  readonly param: SearchParameter;
  readonly ast: FhirPathAtom;
  /**
   * For `X.subject.where(resolve() is Patient)`: the types the reference must point to. The where-clause is
   * checked by us on the normalised reference, because core's resolve() cannot read absolute URLs.
   */
  readonly targetTypes?: ReadonlySet<string>;
}

const RESOLVE_IS = /\.where\(resolve\(\) is ([A-Za-z]+)\)/g;

const compiled = new Map<string, CompiledParameter | null>();

/** The compiled parameter, or undefined when unknown or without an expression. */
export function compileParameter(resourceType: string, code: string): CompiledParameter | undefined {
  const key = `${resourceType}.${code}`;
  let entry = compiled.get(key);
  if (entry === undefined) {
    const param = getSearchParameter(resourceType, code);
    entry = param?.expression ? compile(param, param.expression) : null;
    compiled.set(key, entry);
  }
  return entry ?? undefined;
}

function compile(param: SearchParameter, expression: string): CompiledParameter {
  const targets = [...expression.matchAll(RESOLVE_IS)].map((m) => m[1] ?? '');
  if (param.type !== 'reference' || targets.length === 0) {
    return { param, ast: parseFhirPath(expression) };
  }
  return { param, ast: parseFhirPath(expression.replace(RESOLVE_IS, '')), targetTypes: new Set(targets) };
}

/**
 * A parameter's values per resource, kept while the resource object lives. The repository stores each version as
 * its own object and never changes it, so paging through a long search (every page filters the same candidates
 * again) evaluates each resource's FHIRPath once instead of once per page.
 */
const evaluated = new WeakMap<object, Map<CompiledParameter, TypedValues>>();

export function evaluateParameter(resource: Resource, parameter: CompiledParameter): TypedValues {
  let byParameter = evaluated.get(resource);
  if (!byParameter) {
    byParameter = new Map();
    evaluated.set(resource, byParameter);
  }
  let values = byParameter.get(parameter);
  if (!values) {
    values = evalFhirPathTyped(parameter.ast, [toTypedValue(resource)]);
    byParameter.set(parameter, values);
  }
  return values;
}

/** Relative `Type/id` for references that end in one (absolute URLs, `_history` suffixes); others unchanged. */
export function normalizeReference(reference: string): string {
  const withoutHistory = reference.replace(/\/_history\/[^/]+$/, '');
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(withoutHistory);
  return match ? `${match[1]}/${match[2]}` : reference;
}

export function matchesAllFilters(resource: Resource, filters: readonly Filter[]): boolean {
  for (const filter of filters) {
    if (!matchesFilter(resource, filter)) {
      return false;
    }
  }
  return true;
}

export function matchesFilter(resource: Resource, filter: Filter): boolean {
  const parameter = compileParameter(resource.resourceType, filter.code);
  if (!parameter) {
    return false;
  }
  const values = evaluateParameter(resource, parameter);
  if (filter.operator === Operator.MISSING || filter.operator === Operator.PRESENT) {
    const wantsPresent =
      (filter.operator === Operator.MISSING && filter.value === 'false') ||
      (filter.operator === Operator.PRESENT && filter.value === 'true');
    return wantsPresent === values.length > 0;
  }
  const negated = filter.operator === Operator.NOT_EQUALS || filter.operator === Operator.NOT;
  const wanted = splitSearchOnComma(filter.value);
  let matched: boolean;
  switch (parameter.param.type) {
    case 'reference':
      matched = matchesReference(ofTargetTypes(convertToSearchableReferences(values), parameter.targetTypes), wanted);
      break;
    case 'token':
      matched = convertToSearchableTokens(values).some((token) => wanted.some((w) => matchesToken(token, w)));
      break;
    case 'string':
      matched = matchesString(convertToSearchableStrings(values), wanted, filter.operator);
      break;
    case 'uri':
      matched = convertToSearchableStrings(values).some((v) => wanted.some((w) => stripVersion(v, w) === w));
      break;
    case 'date':
      matched = convertToSearchableDates(values).some((period) =>
        wanted.some((w) => matchesDate(period, filter.operator, w)),
      );
      break;
    default:
      return false;
  }
  return negated ? !matched : matched;
}

function ofTargetTypes(references: string[], targetTypes: ReadonlySet<string> | undefined): string[] {
  if (!targetTypes) {
    return references;
  }
  return references.filter((reference) => {
    const normalized = normalizeReference(reference);
    const slash = normalized.indexOf('/');
    return slash > 0 && targetTypes.has(normalized.slice(0, slash));
  });
}

function matchesReference(references: readonly string[], wanted: readonly string[]): boolean {
  for (const raw of references) {
    const normalized = normalizeReference(raw);
    const id = normalized.includes('/') ? normalized.slice(normalized.indexOf('/') + 1) : undefined;
    for (const w of wanted) {
      if (raw === w || stripVersion(raw, w) === w || normalized === normalizeReference(w)) {
        return true;
      }
      if (!w.includes('/') && id !== undefined && id === w) {
        return true;
      }
    }
  }
  return false;
}

/** Canonicals: a wanted value without `|version` matches every version. */
function stripVersion(value: string, wanted: string): string {
  return !wanted.includes('|') && value.includes('|') ? value.slice(0, value.indexOf('|')) : value;
}

function matchesToken(token: { system?: string; value?: string }, wanted: string): boolean {
  const value = token.value?.toLowerCase();
  if (!wanted.includes('|')) {
    return value === wanted.toLowerCase();
  }
  const [system = '', code = ''] = wanted.split('|').map((s) => s.toLowerCase());
  if (!system) {
    return !token.system && value === code;
  }
  return token.system?.toLowerCase() === system && (!code || value === code);
}

function matchesString(values: readonly string[], wanted: readonly string[], operator: Filter['operator']): boolean {
  return values.some((value) =>
    wanted.some((w) => {
      if (operator === Operator.EXACT) {
        return value === w;
      }
      const v = value.toLowerCase();
      const x = w.toLowerCase();
      return operator === Operator.CONTAINS ? v.includes(x) : v.startsWith(x);
    }),
  );
}

function matchesDate(value: Period, operator: Filter['operator'], wanted: string): boolean {
  const period = toPeriod(wanted);
  if (!period?.start || !period.end) {
    return false;
  }
  const start = value.start ?? '0000';
  const end = value.end ?? '9999';
  switch (operator) {
    case Operator.EQUALS:
    case Operator.NOT_EQUALS:
    case Operator.APPROXIMATELY:
      return start < period.end && end > period.start;
    case Operator.LESS_THAN:
      return start < period.start;
    case Operator.GREATER_THAN:
      return end > period.end;
    case Operator.LESS_THAN_OR_EQUALS:
      return start <= period.end;
    case Operator.GREATER_THAN_OR_EQUALS:
      return end >= period.start;
    case Operator.STARTS_AFTER:
      return start > period.end;
    case Operator.ENDS_BEFORE:
      return end < period.start;
    default:
      return false;
  }
}

/** A comparable key for `_sort`: the first value of the parameter, as a string ('' when absent). */
export function sortKey(resource: Resource, rule: SortRule): string {
  const parameter = compileParameter(resource.resourceType, rule.code);
  if (!parameter) {
    return '';
  }
  const values = evaluateParameter(resource, parameter);
  switch (parameter.param.type) {
    case 'date': {
      const period = convertToSearchableDates(values)[0];
      return period?.start ?? period?.end ?? '';
    }
    case 'token':
      return convertToSearchableTokens(values)[0]?.value ?? '';
    case 'reference':
      return convertToSearchableReferences(values)[0] ?? '';
    default:
      return convertToSearchableStrings(values)[0] ?? '';
  }
}
