/**
 * `POST /population`: the worklist and quality report of the patients on a FHIR server, as JSON (`{date, items,
 * report}`, the CLI's `--format json`). The caller is checked exactly as for the hooks: the same authenticator
 * (a signed JWT whose `aud` is this URL, required in production) and the same FHIR-server policy (an issuer may only
 * send us to its own FHIR servers). `GET /worklist`: the development page over it, only with the sandbox on.
 */
import { Ajv } from 'ajv';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { DataUnobtainableError, ForbiddenFhirServerError, InvalidRequestError, MethodNotAllowedError } from '../../cds/errors.js';
import { fhirServerRefusal, type Caller } from '../../cds/fhir-server-policy.js';
import type { HookDeps } from '../../cds/handle-hook.js';
import { isFhirReadError } from '../../fhir/reader/fhir-reader.js';
import { isLocalDate, toLocalDate } from '../../course/index.js';
import { evaluateFhirServer, FHIR_POPULATION_DEFAULTS, PopulationListError } from '../fhir/evaluate-fhir-server.js';
import { unobtainableReason } from '../../cds/unobtainable-reason.js';
import { finishPopulation } from '../population-result.js';
import { PERIODS, type Period } from '../report.js';
import { DEFAULT_HORIZON_DAYS } from '../worklist.js';
import { WORKLIST_PAGE_HTML } from './worklist-page.js';

export interface PopulationRouteDeps {
  /**
   * The app's own caller check (the hooks' authenticator, with this request's URL as audience), run on the headers
   * before the body is read; it leaves the Caller in `res.locals.caller`.
   */
  readonly authenticated: RequestHandler;
  readonly hook: HookDeps;
  readonly json: RequestHandler;
  /** Serve the development page at /worklist (sandbox mode only). */
  readonly page: boolean;
}

export const POPULATION_PATH = '/population';
export const WORKLIST_PAGE_PATH = '/worklist';

const requestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['fhirServer'],
  properties: {
    fhirServer: { type: 'string', minLength: 1, maxLength: 2048 },
    fhirAuthorization: {
      type: 'object',
      required: ['access_token'],
      properties: { access_token: { type: 'string', minLength: 1, maxLength: 8192 } },
    },
    date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    horizonDays: { type: 'integer', minimum: 0, maximum: 366 },
    period: { enum: [...PERIODS] },
    lang: { enum: ['da', 'en'] },
    allPatients: { type: 'boolean' },
  },
} as const;

interface PopulationRequest {
  fhirServer: string;
  fhirAuthorization?: { access_token: string };
  date?: string;
  horizonDays?: number;
  period?: Period;
  lang?: 'da' | 'en';
  allPatients?: boolean;
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(requestSchema);

function parse(body: unknown): PopulationRequest {
  if (body === undefined) throw new InvalidRequestError([{ path: '', message: 'the body must be JSON (Content-Type: application/json)' }]);
  if (!validate(body)) {
    throw new InvalidRequestError((validate.errors ?? []).map((e) => {
      const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})` : '';
      return { path, message: `${path || 'body'} ${e.message ?? 'is invalid'}${extra}` };
    }));
  }
  const request = body as PopulationRequest;
  if (request.date !== undefined && !isLocalDate(request.date)) {
    throw new InvalidRequestError([{ path: 'date', message: 'date is not a calendar date' }]);
  }
  return request;
}

export function populationRoutes(deps: PopulationRouteDeps): Router {
  const router = express.Router();
  router.post(POPULATION_PATH, deps.authenticated, deps.json, async (req, res) => {
    const caller = res.locals.caller as Caller;
    const request = parse(req.body);
    const refusal = fhirServerRefusal(request.fhirServer, caller, deps.hook.policy);
    if (refusal) throw new ForbiddenFhirServerError(refusal.reason, { fix: refusal.fix });
    const referenceDate = request.date ?? toLocalDate(deps.hook.now().toISOString()) ?? deps.hook.now().toISOString().slice(0, 10);
    const lang = request.lang ?? (req.acceptsLanguages('da', 'en') === 'en' ? 'en' : 'da');
    let partial;
    try {
      partial = await evaluateFhirServer({
        fhirServer: request.fhirServer,
        ...(request.fhirAuthorization ? { accessToken: request.fhirAuthorization.access_token } : {}),
        patientSource: request.allPatients ? 'patients' : 'episodes',
      }, {
        referenceDate,
        horizonDays: request.horizonDays ?? DEFAULT_HORIZON_DAYS,
        period: request.period ?? 'quarter',
        lang,
        config: deps.hook.courseConfig,
      });
    } catch (error) {
      if (error instanceof PopulationListError) {
        throw new DataUnobtainableError([{ key: 'patients', reason: error.message }], { cause: error });
      }
      if (isFhirReadError(error)) {
        const reason = unobtainableReason({ status: 'failed', reason: 'fetch-failed', error }, request.fhirServer, FHIR_POPULATION_DEFAULTS.listDeadlineMs);
        throw new DataUnobtainableError([{ key: 'patients', reason }], { cause: error });
      }
      throw error;
    }
    res.locals.reason = `population: ${partial.patients} patients, ${partial.unreadable} unreadable`;
    res.json(finishPopulation(partial));
  });
  router.all(POPULATION_PATH, () => {
    throw new MethodNotAllowedError(['POST'], 'the population report takes POST with {"fhirServer": ...} as JSON');
  });
  if (deps.page) {
    router.get(WORKLIST_PAGE_PATH, (_req, res) => {
      res.type('html').send(WORKLIST_PAGE_HTML);
    });
  }
  return router;
}
