/**
 * The EHR's FHIR server for the benchmark: the project's embedded FHIR server (src/sandbox) on its own port, with
 * the bench patients loaded and a bearer token required, plus a small control API under /__bench (outside the
 * FHIR router, so it is never counted in the FHIR server's own figures):
 * - GET  /__bench/log?since=N  requests seen from index N: arrival and end (epoch ms, this process's clock), the
 *                              router's own handler time, path, status.
 * - GET  /__bench/connections TCP connections accepted so far.
 * - POST /__bench/delay?ms=D   hold every FHIR request D ms before the router (to see parallel waves: with a
 *                              delay, requests sent together all arrive before any answer leaves).
 * Env: PORT, HOST, FHIR_TOKEN, BUNDLE_FILES (comma-separated JSON transaction Bundles).
 */
import express from 'express';
import { readFileSync } from 'node:fs';
import type { Bundle } from 'fhir/r4.js';
import { createFhirServer } from '../../src/sandbox/index.js';

interface Seen {
  arrival: number;
  routerStart: number;
  end: number;
  handlerMs: number;
  path: string;
  status: number;
}

const now = (): number => performance.timeOrigin + performance.now();
const seen: Seen[] = [];
let delayMs = 0;
const bundles = (process.env.BUNDLE_FILES ?? '').split(',').filter(Boolean).map((f) => JSON.parse(readFileSync(f, 'utf8')) as Bundle);
const fhir = await createFhirServer({
  bundles,
  ...(process.env.FHIR_TOKEN ? { requireBearer: process.env.FHIR_TOKEN } : {}),
});

const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => void res.json({ status: 'ok', ...fhir.stats() }));
app.get('/__bench/log', (req, res) => void res.json(seen.slice(Number(req.query.since ?? 0))));
app.post('/__bench/delay', (req, res) => {
  delayMs = Number(req.query.ms ?? 0);
  res.json({ delayMs });
});
app.use('/fhir', (req, res, next) => {
  const record: Seen = { arrival: now(), routerStart: 0, end: 0, handlerMs: 0, path: req.path, status: 0 };
  seen.push(record);
  res.on('finish', () => {
    record.end = now();
    record.status = res.statusCode;
    // From entering the router to the response written: what the router's own stats() count.
    record.handlerMs = record.end - record.routerStart;
  });
  const go = (): void => {
    record.routerStart = now();
    next();
  };
  if (delayMs > 0) setTimeout(go, delayMs);
  else go();
});
app.use('/fhir', fhir.router);
let connections = 0;
// GET /__bench/connections: TCP connections accepted so far (does the service reuse them across requests?).
app.get('/__bench/connections', (_req, res) => void res.json({ connections }));
const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
server.on('connection', () => void connections++);
process.on('SIGTERM', () => process.exit(0));
