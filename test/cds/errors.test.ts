import { describe, expect, it } from 'vitest';
import {
  CdsError,
  DataUnobtainableError,
  ForbiddenFhirServerError,
  InvalidRequestError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnknownServiceError,
  UnsupportedMediaTypeError,
  isCdsError,
  isDataUnobtainableError,
  isInvalidRequestError,
  isUnauthenticatedError,
} from '../../src/cds/errors.js';
import { toOperationOutcome } from '../../src/cds/operation-outcome.js';
import { validateHookRequest, validateFeedback } from '../../src/cds/schemas.js';

describe('the CDS error family', () => {
  it('gives every class a fixed name, its status and the original cause', () => {
    const cause = new Error('socket hang up');
    const errors: [CdsError, string, number][] = [
      [new InvalidRequestError([], { cause }), 'InvalidRequestError', 400],
      [new UnauthenticatedError('jwt expired', { cause }), 'UnauthenticatedError', 401],
      [new ForbiddenFhirServerError('not allowed for issuer', { cause }), 'ForbiddenFhirServerError', 403],
      [new UnknownServiceError('nope', { cause }), 'UnknownServiceError', 404],
      [new DataUnobtainableError([{ key: 'encounters', reason: 'timeout after 2000 ms' }], { cause }), 'DataUnobtainableError', 412],
      [new PayloadTooLargeError(1_000_000, { cause }), 'PayloadTooLargeError', 413],
      [new UnsupportedMediaTypeError('text/plain', { cause }), 'UnsupportedMediaTypeError', 415],
    ];
    for (const [error, name, status] of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(isCdsError(error)).toBe(true);
      expect(error.name).toBe(name);
      expect(error.status).toBe(status);
      expect(error.cause).toBe(cause);
      expect(error.issues.length).toBeGreaterThan(0);
      expect(toOperationOutcome(error).status).toBe(status);
    }
  });

  it('leaves cause undefined when none is given', () => {
    expect(new UnknownServiceError('x').cause).toBeUndefined();
  });

  it('has type guards that tell the classes apart and reject plain errors', () => {
    const invalid = new InvalidRequestError([]);
    expect(isInvalidRequestError(invalid)).toBe(true);
    expect(isUnauthenticatedError(invalid)).toBe(false);
    expect(isUnauthenticatedError(new UnauthenticatedError('bad signature'))).toBe(true);
    expect(isDataUnobtainableError(new DataUnobtainableError([]))).toBe(true);
    for (const other of [new Error('x'), { status: 400, name: 'InvalidRequestError' }, null, 'error']) {
      expect(isCdsError(other)).toBe(false);
    }
  });
});

describe('toOperationOutcome', () => {
  it('turns an invalid request into a 400 with one issue per schema issue, path in expression', () => {
    const issues = validateHookRequest('encounter-start', {
      hook: 'encounter-start',
      hookInstance: 'nope',
      context: { userId: 'Practitioner/1', patientId: 'p1' },
    });
    const { status, body } = toOperationOutcome(new InvalidRequestError(issues));
    expect(status).toBe(400);
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue).toEqual(
      expect.arrayContaining([
        { severity: 'error', code: 'value', diagnostics: 'hookInstance must be a UUID', expression: ['hookInstance'] },
        { severity: 'error', code: 'required', diagnostics: 'context.encounterId is required', expression: ['context.encounterId'] },
      ]),
    );
    expect(body.issue).toHaveLength(2);
  });

  it('marks a body that is not an object as a structure issue without an expression', () => {
    const { status, body } = toOperationOutcome(new InvalidRequestError(validateFeedback('[]')));
    expect(status).toBe(400);
    expect(body.issue).toEqual([{ severity: 'error', code: 'structure', diagnostics: 'the feedback body must be a JSON object' }]);
  });

  it('answers 401 without saying why, keeping the reason for the log only', () => {
    const error = new UnauthenticatedError('iss https://evil.example is not trusted');
    const { status, body } = toOperationOutcome(error);
    expect(status).toBe(401);
    expect(body.issue).toEqual([{ severity: 'error', code: 'login', diagnostics: 'Authentication failed' }]);
    expect(JSON.stringify(body)).not.toContain('evil');
    expect(error.reason).toBe('iss https://evil.example is not trusted');
  });

  it('answers 403 for a forbidden fhirServer without naming the allowed servers', () => {
    const { status, body } = toOperationOutcome(new ForbiddenFhirServerError('fhirServer is not among https://ehr.a.dk/fhir'));
    expect(status).toBe(403);
    expect(body.issue).toHaveLength(1);
    expect(body.issue[0]).toMatchObject({ code: 'forbidden', expression: ['fhirServer'] });
    expect(JSON.stringify(body)).not.toContain('ehr.a.dk');
  });

  it('answers 404 for an unknown service without echoing the id', () => {
    const { status, body } = toOperationOutcome(new UnknownServiceError('<script>alert(1)</script>'));
    expect(status).toBe(404);
    expect(body.issue[0]).toMatchObject({ severity: 'error', code: 'not-found' });
    expect(JSON.stringify(body)).not.toContain('script');
  });

  it('answers 412 naming each piece of data that could not be had, and why', () => {
    const { status, body } = toOperationOutcome(
      new DataUnobtainableError([
        { key: 'encounters', reason: 'the FHIR server answered 503' },
        { key: 'episodes', reason: 'no prefetch and no FHIR server to fetch it from' },
      ]),
    );
    expect(status).toBe(412);
    expect(body.issue).toEqual([
      {
        severity: 'error',
        code: 'incomplete',
        diagnostics: "Could not obtain 'encounters' from prefetch or the FHIR server: the FHIR server answered 503",
        expression: ['prefetch.encounters'],
      },
      {
        severity: 'error',
        code: 'incomplete',
        diagnostics: "Could not obtain 'episodes' from prefetch or the FHIR server: no prefetch and no FHIR server to fetch it from",
        expression: ['prefetch.episodes'],
      },
    ]);
  });

  it('answers 413 with the limit and 415 for a body that is not JSON', () => {
    expect(toOperationOutcome(new PayloadTooLargeError(512_000))).toEqual({
      status: 413,
      body: {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'too-long', diagnostics: 'The request body is larger than the limit of 512000 bytes' }],
      },
    });
    expect(toOperationOutcome(new UnsupportedMediaTypeError('text/plain'))).toEqual({
      status: 415,
      body: {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'not-supported', diagnostics: 'The request body must be application/json' }],
      },
    });
  });

  it('turns anything else into a generic 500 with no message, stack or input in it', () => {
    const secret = new Error('Bearer eyJhbGciOi... for patient 010203-1234 failed');
    for (const error of [secret, new TypeError('x is undefined'), 'a string', undefined, { status: 400 }]) {
      const { status, body } = toOperationOutcome(error);
      expect(status).toBe(500);
      expect(body).toEqual({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'exception', diagnostics: 'Internal error; the request was not processed' }],
      });
    }
  });
});
