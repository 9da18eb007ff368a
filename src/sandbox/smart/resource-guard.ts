/**
 * The embedded FHIR server as a SMART resource server: a write needs a valid access token from the embedded
 * authorization server whose scopes allow it (and, for a patient-level scope, a resource in that patient's
 * compartment); a presented token is checked on reads too. Reads without a token stay open, since the CDS service
 * reads this server unauthenticated in development. Refusals are 401 `invalid_token` / 403 `insufficient_scope`
 * (RFC 6750) with an OperationOutcome.
 */
import type { NextFunction, Request, Response } from 'express';
import { send } from '../middleware.js';
import { operationOutcome } from '../operation-outcome.js';
import { SMART_PATHS } from './auth-server.js';
import { permits, splitScopes, type Interaction } from './scopes.js';
import type { AccessClaims, TokenSigner } from './tokens.js';

/** Types outside the patient compartment: a patient-level read may search them freely (Questionnaires, plans). */
const SHARED_TYPES: ReadonlySet<string> = new Set([
  'Questionnaire', 'PlanDefinition', 'ActivityDefinition', 'CodeSystem', 'ValueSet', 'StructureDefinition',
  'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'HealthcareService',
]);
/** Reference elements and search parameters that place a resource in a patient's compartment. */
const PATIENT_ELEMENTS = ['subject', 'patient', 'for', 'beneficiary'] as const;

const OPEN_PATHS: readonly string[] = [SMART_PATHS.configuration, SMART_PATHS.jwks, SMART_PATHS.authorize, SMART_PATHS.token, SMART_PATHS.launch, SMART_PATHS.sandboxLaunch, '/metadata'];

export function smartResourceGuard(signer: TokenSigner) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (OPEN_PATHS.includes(req.path)) return next();
    const segments = req.path.split('/').filter(Boolean);
    const interaction = interactionOf(req.method, segments);
    const type = segments[0];
    const header = req.headers.authorization;
    const writes = interaction === 'c' || interaction === 'u' || interaction === 'd';
    if (header === undefined) {
      if (!writes) return next();
      return refuse(res, 401, 'invalid_token', 'a write needs an access token from this server\'s SMART authorization server');
    }
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    let claims: AccessClaims;
    try {
      if (!token) throw new Error('not a bearer token');
      claims = await (signer.verifyAccess(token, `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`));
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      return refuse(res, 401, 'invalid_token', expired ? 'the access token has expired' : 'the access token is not valid here');
    }
    if (type === undefined) {
      // A transaction: each entry needs its own permission; our app never sends one, so we refuse it plainly.
      return refuse(res, 403, 'insufficient_scope', 'transactions are not open to SMART apps here');
    }
    const scope = permits(splitScopes(claims.scope), type, interaction);
    if (!scope) return refuse(res, 403, 'insufficient_scope', `the token's scopes do not allow ${interaction} on ${type}`);
    if (scope.context === 'patient') {
      const outside = compartmentProblem(req, type, segments, interaction, claims.patient);
      if (outside) return refuse(res, 403, 'insufficient_scope', outside);
    }
    next();
  };
}

function interactionOf(method: string, segments: readonly string[]): Interaction {
  if (method === 'GET' || method === 'HEAD') return segments.length >= 2 ? 'r' : 's';
  if (method === 'POST') return segments[1] === '_search' ? 's' : 'c';
  if (method === 'PUT' || method === 'PATCH') return 'u';
  if (method === 'DELETE') return 'd';
  return 'r';
}

/** Why the request leaves the token's patient compartment, or undefined. */
function compartmentProblem(req: Request, type: string, segments: readonly string[], interaction: Interaction, patient: string | undefined): string | undefined {
  if (!patient) return 'a patient-level scope without a patient in the launch context';
  const own = (ref: unknown): boolean => typeof ref === 'string' && (ref === patient || ref === `Patient/${patient}` || ref.endsWith(`/Patient/${patient}`));
  if (type === 'Patient') {
    if (interaction === 'r' || interaction === 'u' || interaction === 'd') return segments[1] === patient ? undefined : 'another patient';
    if (interaction === 's') return own(req.query._id) ? undefined : 'a patient-level search of Patient must name the patient (_id)';
    return 'a patient-level token cannot create patients';
  }
  if (SHARED_TYPES.has(type)) return interaction === 'r' || interaction === 's' ? undefined : `${type} is not in the patient's compartment`;
  if (interaction === 's') {
    const named = PATIENT_ELEMENTS.map((p) => req.query[p]).filter((v) => v !== undefined);
    return named.length > 0 && named.every(own) ? undefined : 'a patient-level search must name the launch patient (patient= or subject=)';
  }
  if (interaction === 'c' || interaction === 'u') {
    const body = (req.body ?? {}) as Record<string, { reference?: unknown } | undefined>;
    const refs = PATIENT_ELEMENTS.map((e) => body[e]?.reference).filter((r) => r !== undefined);
    return refs.length > 0 && refs.every(own) ? undefined : 'the resource is not about the launch patient';
  }
  if (interaction === 'd') return 'a patient-level token cannot delete';
  // A read of one resource by id is not compartment-checked (ids are found through compartment searches first).
  return undefined;
}

function refuse(res: Response, status: 401 | 403, error: 'invalid_token' | 'insufficient_scope', description: string): void {
  res.setHeader('WWW-Authenticate', `Bearer realm="fhir", error="${error}", error_description="${description.replace(/"/g, "'")}"`);
  send(res, status, operationOutcome(status === 401 ? 'login' : 'forbidden', description));
}
