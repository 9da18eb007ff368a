/**
 * The CDS Hooks JSON Schemas (`cds-hooks/schemas/`), compiled once at module load, and validators that turn ajv's
 * errors into issues a client developer can act on: `context.patientId is required`, `hookInstance must be a
 * UUID`. Paths are FHIRPath-ish (`cards[0].source.label`), not JSON pointers, because that is what an
 * OperationOutcome's `expression` holds.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { CdsHook } from './protocol-types.js';

export interface SchemaIssue {
  /** Dotted path into the body, e.g. 'context.patientId' or 'cards[0].summary'; '' for the body itself. */
  readonly path: string;
  /** A whole sentence that starts with the path, e.g. 'context.patientId is required'. */
  readonly message: string;
}

const SCHEMA_DIR = new URL('../../cds-hooks/schemas/', import.meta.url);

/** Schema keyword that carries our own wording for a failed pattern/format/not, so messages stay human. */
const ISSUE_KEYWORD = 'x-issue';
const KEYWORDS_WORDED_BY_SCHEMA = new Set(['pattern', 'format', 'not', 'contains', 'minContains', 'maxContains']);

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object, plugin in `.default`.
const addFormats = addFormatsModule.default;

// strictTypes/strictRequired are off: if/then branches constrain properties and types declared beside them.
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
addFormats(ajv);
ajv.addVocabulary([ISSUE_KEYWORD]);

function compile(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as object;
  return ajv.compile(schema);
}

/**
 * Compiled on first use: the service never validates its own answers or discovery document (tests and the CLI's
 * checks do), and compiling them at start cost every process start some tens of ms.
 */
function compiledOnUse(file: string): () => ValidateFunction {
  let validate: ValidateFunction | undefined;
  return () => (validate ??= compile(file));
}
const responseValidator = compiledOnUse('response.schema.json');
const discoveryValidator = compiledOnUse('discovery.schema.json');

const validators = {
  request: compile('request.schema.json'),
  feedback: compile('feedback.schema.json'),
  'encounter-start': compile('context-encounter-start.schema.json'),
  'patient-view': compile('context-patient-view.schema.json'),
  'appointment-book': compile('context-appointment-book.schema.json'),
} as const;

/**
 * A hook call: the common request envelope, then the hook's context, then that the body names the hook this
 * service answers. Unknown fields and `extension` objects are accepted.
 */
export function validateHookRequest(hook: CdsHook, body: unknown): SchemaIssue[] {
  const issues = run(validators.request, body, '', 'the request body');
  if (!isObject(body)) return issues;
  if (typeof body.hook === 'string' && body.hook !== hook) {
    issues.push({ path: 'hook', message: `hook must be '${hook}' for this service` });
  }
  if (isObject(body.context)) issues.push(...validateHookContext(hook, body.context));
  return dedupe(issues);
}

/** The hook's context alone; paths start with 'context.'. */
export function validateHookContext(hook: CdsHook, context: unknown): SchemaIssue[] {
  return dedupe(run(validators[hook], context, 'context', 'context'));
}

export function validateFeedback(body: unknown): SchemaIssue[] {
  return dedupe(run(validators.feedback, body, '', 'the feedback body'));
}

/** Our own output: the spec's response model plus no null / empty values anywhere. */
export function validateCdsResponse(body: unknown): SchemaIssue[] {
  return dedupe(run(responseValidator(), body, '', 'the response body'));
}

export function validateDiscovery(body: unknown): SchemaIssue[] {
  return dedupe(run(discoveryValidator(), body, '', 'the discovery body'));
}

/** One line per issue, for logs and test failures. */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `- ${i.message}`).join('\n');
}

function run(validate: ValidateFunction, data: unknown, prefix: string, rootLabel: string): SchemaIssue[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).flatMap((e) => toIssue(e, prefix, rootLabel) ?? []);
}

function toIssue(error: ErrorObject, prefix: string, rootLabel: string): SchemaIssue | undefined {
  // An if/then/else failure is always accompanied by the failure inside the branch, which says more.
  if (error.keyword === 'if') return undefined;
  const path = join(prefix, pointerToPath(error.instancePath));
  const subject = path || rootLabel;
  const params = error.params as Record<string, unknown>;
  const worded = schemaWording(error);
  if (worded && KEYWORDS_WORDED_BY_SCHEMA.has(error.keyword)) return { path, message: `${subject} ${worded}` };

  switch (error.keyword) {
    case 'required': {
      const missing = join(path, String(params.missingProperty));
      return { path: missing, message: `${missing} is required` };
    }
    case 'dependentRequired': {
      const missing = join(path, String(params.missingProperty));
      return { path: missing, message: `${missing} is required when ${join(path, String(params.property))} is present` };
    }
    case 'type':
      if (path === '') return { path, message: `${subject} must be a JSON object` };
      return error.data === null
        ? { path, message: `${subject} must not be null (omit it instead)` }
        : { path, message: `${subject} must be ${typeWords(String(params.type))}` };
    case 'minLength':
      return params.limit === 1
        ? { path, message: `${subject} must not be empty` }
        : { path, message: `${subject} must be at least ${String(params.limit)} characters` };
    case 'maxLength':
      return { path, message: `${subject} must be at most ${String(params.limit)} characters` };
    case 'minItems':
      return params.limit === 1
        ? { path, message: `${subject} must not be an empty array (omit it instead)` }
        : { path, message: `${subject} must have at least ${String(params.limit)} items` };
    case 'minProperties':
      return { path, message: `${subject} must not be an empty object (omit it instead)` };
    case 'enum':
      return { path, message: `${subject} must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { path, message: `${subject} must be '${String(params.allowedValue)}'` };
    case 'format':
      return { path, message: `${subject} must be ${FORMAT_WORDS[String(params.format)] ?? `a valid ${String(params.format)}`}` };
    case 'pattern':
      return { path, message: `${subject} does not have the expected form` };
    case 'minimum':
      return { path, message: `${subject} must be at least ${String(params.limit)}` };
    case 'not':
    case 'false schema':
      return { path, message: `${subject} is not allowed` };
    default:
      return { path, message: `${subject} ${error.message ?? 'is invalid'}` };
  }
}

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  uuid: 'a UUID',
  uri: 'an absolute URI',
  'date-time': 'an ISO 8601 date-time with a time zone',
};

function schemaWording(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const worded = schema?.[ISSUE_KEYWORD];
  return typeof worded === 'string' ? worded : undefined;
}

function typeWords(type: string): string {
  const words = type
    .split(',')
    .map((t) => (t === 'null' ? 'null' : t === 'object' || t === 'array' || t === 'integer' ? `an ${t}` : `a ${t}`));
  return words.join(' or ');
}

/** '/cards/0/source/label' -> 'cards[0].source.label'. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : join(path, segment)), '');
}

function join(path: string, key: string): string {
  if (key === '') return path;
  return path === '' ? key : `${path}.${key}`;
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
