import type { Express } from 'express';
import { MethodNotAllowedError, UnknownServiceError } from '../cds/errors.js';
import { findService } from '../cds/services.js';

/**
 * 405 with Allow for a known path asked with the wrong method (a GET on a hook URL is a common first try), instead
 * of a 404 that says the service does not exist. Registered after the real routes, so only what they did not
 * answer reaches these; OPTIONS never does (the CORS middleware answers preflights first).
 */
export function answerWrongMethods(app: Express): void {
  const GET = ['GET', 'HEAD'];
  app.all('/cds-services', () => {
    throw new MethodNotAllowedError(GET, 'GET /cds-services is the discovery document; hook calls go to POST /cds-services/{id}');
  });
  app.all('/cds-services/:id', (req) => {
    if (!findService(String(req.params.id))) throw new UnknownServiceError(String(req.params.id));
    throw new MethodNotAllowedError(['POST'], 'a CDS service takes POST with a hook request as JSON; GET /cds-services lists the services');
  });
  app.all('/cds-services/:id/feedback', (req) => {
    if (!findService(String(req.params.id))) throw new UnknownServiceError(String(req.params.id));
    throw new MethodNotAllowedError(['POST'], 'feedback is sent with POST, a JSON body of {"feedback": [...]}');
  });
  for (const path of ['/healthz', '/readyz']) {
    app.all(path, () => {
      throw new MethodNotAllowedError(GET, `${path} takes GET`);
    });
  }
}
