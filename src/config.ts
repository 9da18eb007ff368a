import { Ajv } from 'ajv';
import type { JSONWebKeySet } from 'jose';
import type { CourseConfig } from './course/config.js';
import { loadCourseConfig } from './fhir/definitions/course-config.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

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
   * Time a client has to send a whole request (headers within the smaller of this and 10 s); a slow or stalled
   * client is cut off after it instead of holding a socket forever. Optional: built configs from before it default.
   */
  readonly requestTimeoutMs?: number;
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

const validateFile = new Ajv({ allErrors: true, strict: false }).compile(fileSchema);

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

export function loadConfig(env: NodeJS.ProcessEnv, projectRoot: string): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  const mode = nodeEnv === 'production' ? 'production' : nodeEnv === 'test' ? 'test' : 'development';

  let file: FileConfig = {};
  if (env.CDS_CONFIG) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(resolve(projectRoot, env.CDS_CONFIG), 'utf8'));
      if (validateFile(parsed)) file = parsed as FileConfig;
      else {
        for (const e of validateFile.errors ?? []) {
          const where = e.instancePath || '';
          const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
          problems.push(`CDS_CONFIG${where}: ${e.message ?? 'invalid'}${extra}`);
        }
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
  if (language !== 'da' && language !== 'en') problems.push(`CDS_LANGUAGE must be da or en, not ${String(language)}`);
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
  const host = env.HOST ?? '127.0.0.1';
  if (mode !== 'production' && !isLoopbackHost(host)) {
    problems.push('HOST: development mode binds to loopback only (unauthenticated calls are accepted there)');
  }
  const maxBodyBytes = intFrom(env.CDS_MAX_BODY_BYTES, 5 * 1024 * 1024, 'CDS_MAX_BODY_BYTES', 1024, 100 * 1024 * 1024, problems);
  const requestTimeoutMs = intFrom(env.CDS_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, 'CDS_REQUEST_TIMEOUT_MS', 500, 600_000, problems);

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
    sandbox,
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    trustedIssuers,
    devFhirServers: file.devFhirServers ?? [],
    ...(file.questionnaireAppUrl ? { questionnaireAppUrl: file.questionnaireAppUrl } : {}),
    course,
    maxBodyBytes,
    requestTimeoutMs,
    projectRoot,
  };
}

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
