/**
 * The floor: a bare express 5 server that parses the same request bodies as JSON (same parser, same limit) and
 * answers a fixed card list of the size the service answers. Nothing express-based can be faster.
 * Env: PORT, HOST, CARDS_FILE (the service's answer to the same call), MAX_BODY_BYTES.
 */
import express from 'express';
import { readFileSync } from 'node:fs';

const cards = JSON.parse(readFileSync(process.env.CARDS_FILE ?? '', 'utf8')) as unknown;
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
const json = express.json({ limit: Number(process.env.MAX_BODY_BYTES ?? 5 * 1024 * 1024), type: ['application/json', 'application/*+json'] });
app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
app.post('/cds-services/:id', json, (req, res) => {
  // The parsed body is touched so the parse cannot be skipped by a clever runtime.
  if (typeof req.body !== 'object' || req.body === null) {
    res.status(400).end();
    return;
  }
  res.json(cards);
});
app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
