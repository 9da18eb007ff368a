/** Express pieces of the sandbox router that know nothing of FHIR search: CORS, bearer check, errors, sending. */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { operationOutcome } from './operation-outcome.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export function send(res: Response, status: number, body: unknown): void {
  res.status(status).setHeader('Content-Type', FHIR_JSON);
  res.end(JSON.stringify(body));
}

export function openCors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Prefer, Accept, If-Match, If-None-Exist');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, PATCH, OPTIONS');
  res.setHeader('Access-Control-Expose-Headers', 'Location, ETag, Content-Location');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
    res.status(204).end();
    return;
  }
  next();
}

/** 401 with an OperationOutcome unless `Authorization: Bearer <token>`; GET /metadata stays public (SMART). */
export function requireBearer(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.path === '/metadata') {
      next();
      return;
    }
    const presented = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    const given = Buffer.from(presented ?? '');
    // Constant-time comparison: the token is a secret even in a sandbox that tests copy from.
    if (presented === undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="fhir"');
      send(res, 401, operationOutcome('login', 'A valid bearer token is required'));
      return;
    }
    next();
  };
}

/**
 * Body-parser failures become 400/413 OperationOutcomes; anything else a bare 500 (no stack, no input echoed) and
 * the error goes to `onError`.
 */
export function errorAsOutcome(
  onError: (error: unknown) => void,
): (err: unknown, req: Request, res: Response, next: NextFunction) => void {
  return (err, _req, res, _next) => {
    const status = (err as { status?: number } | undefined)?.status ?? 500;
    if (status >= 500) {
      onError(err);
    }
    respondToError(res, status);
  };
}

function respondToError(res: Response, status: number): void {
  if (status === 413) {
    send(res, 413, operationOutcome('too-costly', 'Request body too large'));
  } else if (status >= 400 && status < 500) {
    send(res, status, operationOutcome('invalid', 'Request body is not valid JSON or form data'));
  } else {
    send(res, 500, operationOutcome('exception', 'Internal server error'));
  }
}
