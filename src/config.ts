import { Ajv, type ErrorObject } from 'ajv';
import type { JSONWebKeySet } from 'jose';
import type { CourseConfig } from './course/config.js';
import { loadCourseConfig } from './fhir/definitions/course-config.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { didYouMean } from './did-you-mean.js';
import { PUBLIC_SANDBOX_ISSUER } from './sandbox/public-sandbox-issuer.js';

/**
 * One function turns the environment (and the optional JSON file named by CDS_CONFIG) into a typed, validated
 * configuration, reporting every problem at once. Nothing else in the project reads process.env.
 */

export type Language = 'da' | 'en';

export interface TrustedIssuer {
  readonly iss: string;
  /** Inline JWKS ({ keys: [...] }). */
  readonly jwks?: JSONWebKeySet;
  readonly jwksUrl?: string;
  /** `jku` header values accepted for this issuer (exact URLs). */
  readonly jkuAllowlist?: readonly string[];
  readonly tenant?: string;
  /** FHIR base URLs this issuer may send us to. */
  readonly fhirServers: readonly string[];
  /**
   * An issuer whose signature proves little (the public sandbox: its private key is public): its calls may use only
   * what an unauthenticated development call may (loopback or `devFhirServers`), besides `fhirServers`.
   */
  readonly developmentOnly?: boolean;
}

export interface AppConfig {
  readonly mode: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** Public base URL (scheme://host[:port]) used for the JWT `aud` check behind a proxy. */
  readonly publicBaseUrl?: string;
  readonly language: Language;
  /** One deadline per hook call, for all FHIR work and the answer. */
  readonly deadlineMs: number;
  readonly feedbackDbPath: string;
  /** PostgreSQL connection URL (CDS_DATABASE_URL): the shared store of several instances. Never logged. */
  readonly databaseUrl?: string;
  /** Key of the patient-id hash in the logs (CDS_LOG_HASH_KEY); without it one is generated and kept in the store. */
  readonly logHashKey?: string;
  /** Serve the embedded FHIR server at /fhir with the demo patients. */
  readonly sandbox: boolean;
  readonly logLevel: string;
  readonly trustedIssuers: readonly TrustedIssuer[];
  /** FHIR servers an unauthenticated (development) call may use besides loopback ones. */
  readonly devFhirServers: readonly string[];
  /** Launch URL of a SMART questionnaire app; missing-score cards then link to it. */
  readonly questionnaireAppUrl?: string;
  /** The rules' limits: defaults merged with the file's `course` overrides (validated by the engine's schema). */
  readonly course: CourseConfig;
  readonly maxBodyBytes: number;
  /**
   * Body limit of a call without a token (development only; production refuses such calls before reading): enough
   * for a demo call with its prefetch, not for a flood. Optional: built configs from before it default.
   */
  readonly maxAnonymousBodyBytes?: number;
  /**
   * Time a client has to send a whole request (headers within the smaller of this and 10 s); a slow or stalled
   * client is cut off after it instead of holding a socket forever. Optional: built configs from before it default.
   */
  readonly requestTimeoutMs?: number;
  /** Hook worker threads per process for calls that read FHIR or carry a large body (0: all on the event loop). */
  readonly poolThreads?: number;
  /** Processes serving the port (node:cluster, see src/cluster.ts); 1: this process serves it itself. */
  readonly workers?: number;
  readonly projectRoot: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}

const fileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $comment: { type: 'string' },
    language: { enum: ['da', 'en'] },
    deadlineMs: { type: 'integer', minimum: 50, maximum: 10000 },
    feedbackDb: { type: 'string', minLength: 1 },
    publicBaseUrl: { type: 'string', pattern: '^https?://[^/]+$' },
    sandbox: { type: 'boolean' },
    devFhirServers: { type: 'array', items: { type: 'string', pattern: '^https?://' } },
    questionnaireAppUrl: { type: 'string', pattern: '^https?://' },
    course: { type: 'object' },
    trustedIssuers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['iss', 'fhirServers'],
        properties: {
          iss: { type: 'string', minLength: 1 },
          jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object' } } } },
          jwksUrl: { type: 'string', pattern: '^https?://' },
          jkuAllowlist: { type: 'array', items: { type: 'string', pattern: '^https?://' } },
          tenant: { type: 'string' },
          fhirServers: { type: 'array', items: { type: 'string', pattern: '^https?://' } },
        },
        anyOf: [{ required: ['jwks'] }, { required: ['jwksUrl'] }, { required: ['jkuAllowlist'] }],
      },
    },
  },
} as const;

// verbose: an error carries its schema, so an unknown key can be matched against the known ones at that place.
const validateFile = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(fileSchema);

export const MODES = ['development', 'production', 'test'] as const;
/** pino's levels, and `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type FileConfig = {
  language?: Language;
  deadlineMs?: number;
  feedbackDb?: string;
  publicBaseUrl?: string;
  sandbox?: boolean;
  devFhirServers?: string[];
  questionnaireAppUrl?: string;
  course?: unknown;
  trustedIssuers?: TrustedIssuer[];
};

export const DEFAULT_DEADLINE_MS = 300;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Two: one long call keeps a thread, the other stays free for the next call that reads FHIR. */
export const DEFAULT_POOL_THREADS = 2;

/** Body limit of a development call without a token: enough for a demo call with prefetch, not a flood. */
export const DEFAULT_ANONYMOUS_BODY_BYTES = 1024 * 1024;

export function loadConfig(env: NodeJS.ProcessEnv, projectRoot: string): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  // A typo must not silently mean development mode, with the sandbox on and unauthenticated calls accepted.
  const mode = oneOf(nodeEnv, MODES, 'NODE_ENV', problems) ?? 'development';

  let file: FileConfig = {};
  if (env.CDS_CONFIG) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(resolve(projectRoot, env.CDS_CONFIG), 'utf8'));
      if (validateFile(parsed)) file = parsed as FileConfig;
      else {
        // The alternatives inside anyOf each report their own miss; the anyOf error says it once.
        for (const e of (validateFile.errors ?? []).filter((x) => !x.schemaPath.includes('/anyOf/'))) problems.push(`CDS_CONFIG${e.instancePath || ''}: ${fileProblem(e)}`);
        // Keep checking the course limits of an otherwise broken file, so every problem is listed in one go.
        const course = (parsed as { course?: unknown } | null)?.course;
        if (course !== undefined) file = { course };
      }
    } catch (error) {
      problems.push(`CDS_CONFIG: cannot read ${env.CDS_CONFIG} (${(error as Error).message})`);
    }
  }

  const port = intFrom(env.PORT, 3000, 'PORT', 0, 65535, problems);
  const deadlineMs = env.CDS_DEADLINE_MS !== undefined
    ? intFrom(env.CDS_DEADLINE_MS, DEFAULT_DEADLINE_MS, 'CDS_DEADLINE_MS', 50, 10000, problems)
    : file.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const language = (env.CDS_LANGUAGE ?? file.language ?? 'da') as Language;
  if (language !== 'da' && language !== 'en') problems.push(`CDS_LANGUAGE must be da or en, not "${String(language)}"`);
  const logLevel = env.LOG_LEVEL === undefined || env.LOG_LEVEL === ''
    ? (mode === 'test' ? 'silent' : 'info')
    : oneOf(env.LOG_LEVEL, LOG_LEVELS, 'LOG_LEVEL', problems) ?? 'info';
  const sandboxEnv = env.CDS_SANDBOX;
  if (sandboxEnv !== undefined && !['on', 'off', 'true', 'false'].includes(sandboxEnv)) {
    problems.push('CDS_SANDBOX must be on or off');
  }
  const sandbox = sandboxEnv !== undefined ? sandboxEnv === 'on' || sandboxEnv === 'true' : file.sandbox ?? mode !== 'production';
  const trustedIssuers = file.trustedIssuers ?? [];
  if (mode === 'production' && trustedIssuers.length === 0) {
    problems.push('production mode needs trustedIssuers in the CDS_CONFIG file: the service never runs unauthenticated in production');
  }
  const publicBaseUrl = env.PUBLIC_BASE_URL ?? file.publicBaseUrl;
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+$/.test(publicBaseUrl)) {
    problems.push('PUBLIC_BASE_URL must be scheme://host[:port] without a path');
  }
  // The JWT's `aud` must be the URL the EHR called. Behind a proxy only the configuration knows it; taking it from
  // the Host header would let a caller make us accept a token minted for another deployment.
  if (mode === 'production' && publicBaseUrl === undefined) {
    problems.push('PUBLIC_BASE_URL is required in production (the public scheme://host[:port] EHRs call, checked as the JWT aud)');
  }
  problems.push(...duplicateIssuers(trustedIssuers));
  const databaseUrl = env.CDS_DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('CDS_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const logHashKey = env.CDS_LOG_HASH_KEY || undefined;
  if (logHashKey !== undefined && logHashKey.length < MIN_LOG_HASH_KEY_CHARS) {
    problems.push(`CDS_LOG_HASH_KEY must be at least ${MIN_LOG_HASH_KEY_CHARS} characters (e.g. openssl rand -hex 32)`);
  }
  const host = env.HOST ?? '127.0.0.1';
  if (mode !== 'production' && !isLoopbackHost(host)) {
    problems.push('HOST: development mode binds to loopback only (unauthenticated calls are accepted there)');
  }
  const maxBodyBytes = intFrom(env.CDS_MAX_BODY_BYTES, 5 * 1024 * 1024, 'CDS_MAX_BODY_BYTES', 1024, 100 * 1024 * 1024, problems);
  const maxAnonymousBodyBytes = intFrom(env.CDS_ANONYMOUS_MAX_BODY_BYTES, DEFAULT_ANONYMOUS_BODY_BYTES, 'CDS_ANONYMOUS_MAX_BODY_BYTES', 1024, 100 * 1024 * 1024, problems);
  const requestTimeoutMs = intFrom(env.CDS_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, 'CDS_REQUEST_TIMEOUT_MS', 500, 600_000, problems);
  // Tests start many services in one process tree; each starts its threads only when it asks for them.
  const poolThreads = intFrom(env.CDS_POOL_THREADS, mode === 'test' ? 0 : DEFAULT_POOL_THREADS, 'CDS_POOL_THREADS', 0, 64, problems);
  const workers = intFrom(env.CDS_WORKERS, 1, 'CDS_WORKERS', 1, 64, problems);

  // The course limits are validated here too, so one start-up lists every problem of the configuration at once.
  const course: CourseConfig | undefined = loadCourseConfig(file.course, projectRoot, problems);

  if (problems.length > 0 || course === undefined) throw new ConfigError(problems);
  return {
    mode,
    host,
    port,
    ...(publicBaseUrl !== undefined ? { publicBaseUrl } : {}),
    language,
    deadlineMs,
    feedbackDbPath: dbPath(projectRoot, env.CDS_FEEDBACK_DB ?? file.feedbackDb ?? 'data/feedback.sqlite'),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(logHashKey !== undefined ? { logHashKey } : {}),
    sandbox,
    logLevel,
    // Development trusts the public CDS Hooks sandbox out of the box, unless the file configures that issuer itself.
    trustedIssuers: mode === 'development' && !trustedIssuers.some((i) => i.iss === PUBLIC_SANDBOX_ISSUER.iss)
      ? [...trustedIssuers, PUBLIC_SANDBOX_ISSUER]
      : trustedIssuers,
    devFhirServers: file.devFhirServers ?? [],
    ...(file.questionnaireAppUrl ? { questionnaireAppUrl: file.questionnaireAppUrl } : {}),
    course,
    maxBodyBytes,
    maxAnonymousBodyBytes,
    requestTimeoutMs,
    poolThreads,
    workers,
    projectRoot,
  };
}

const MIN_LOG_HASH_KEY_CHARS = 32;

/**
 * Two entries with one `iss` would shadow each other (one tenant locked out) unless each names its own tenant,
 * which the token's `tenant` claim then picks.
 */
function duplicateIssuers(issuers: readonly TrustedIssuer[]): string[] {
  const byIss = new Map<string, TrustedIssuer[]>();
  for (const issuer of issuers) byIss.set(issuer.iss, [...(byIss.get(issuer.iss) ?? []), issuer]);
  const problems: string[] = [];
  for (const [iss, entries] of byIss) {
    if (entries.length < 2) continue;
    const tenants = entries.map((e) => e.tenant);
    if (tenants.some((t) => t === undefined) || new Set(tenants).size !== tenants.length) {
      problems.push(`trustedIssuers: ${entries.length} entries for iss ${iss}; entries that share an iss need distinct tenants`);
    }
  }
  return problems;
}

/** The value if it is one of `allowed`; else a problem that lists them, with the nearest as a hint. */
function oneOf<T extends string>(value: string, allowed: readonly T[], name: string, problems: string[]): T | undefined {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${name} must be one of ${allowed.join(', ')}, not "${value}"${didYouMean(value, allowed)}`);
  return undefined;
}

/** An ajv error in words that say what to write instead: the allowed values, the known key nearest a typo. */
function fileProblem(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') {
    const key = String(e.params.additionalProperty);
    const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}).filter((k) => k !== '$comment');
    return `unknown key "${key}"${didYouMean(key, known)}; known keys: ${known.join(', ')}`;
  }
  if (e.keyword === 'enum') return `must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}, not ${JSON.stringify(e.data)}`;
  if (e.keyword === 'anyOf') return 'needs one of jwks, jwksUrl or jkuAllowlist (where to find the issuer\'s keys)';
  return e.message ?? 'invalid';
}

/** For an unknown key among the course limits: the nearest known key at that place of the course schema. */
/** SQLite's ':memory:' is a database name, not a file under the project. */
const dbPath = (root: string, path: string): string => (path === ':memory:' ? path : resolve(root, path));

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function intFrom(raw: string | undefined, fallback: number, name: string, min: number, max: number, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
    return fallback;
  }
  return n;
}
