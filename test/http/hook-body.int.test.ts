import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookBodyParser } from '../../src/http/hook-body.js';
import { movableBytes } from '../../src/cds/pool/hook-pool.js';

/**
 * The hook route's body parser on a real HTTP server: large bodies are kept as bytes, read into one buffer of the
 * declared length (which can move to a worker thread without a copy), and every way a body can go wrong ends in the
 * error body-parser itself would give, never a hang or a crash.
 */
const RAW_ABOVE = 64 * 1024;
const LIMIT = 1024 * 1024;

interface Seen {
  readonly kind: 'bytes' | 'parsed' | 'none';
  readonly length?: number;
  readonly movable?: boolean;
  readonly sameBytes?: boolean;
}

let server: http.Server;
let base: string;
let lastSent: Buffer | undefined;
let errors: { type?: string; status?: number }[] = [];

beforeAll(async () => {
  const app = express();
  app.post('/hook', createHookBodyParser({ maxBodyBytes: LIMIT, rawAboveBytes: RAW_ABOVE }), (req, res) => {
    const body: unknown = req.body;
    let seen: Seen;
    if (Buffer.isBuffer(body)) {
      seen = { kind: 'bytes', length: body.length, movable: movableBytes({ raw: body }).length === 1, sameBytes: lastSent !== undefined && body.equals(lastSent) };
    } else seen = { kind: body === undefined ? 'none' : 'parsed' };
    res.json(seen);
  });
  app.use((error: { type?: string; status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    errors.push({ type: error.type, status: error.status });
    res.status(error.status ?? 500).json({ type: error.type ?? null });
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** `expected`: the bytes the handler should see (the body itself unless it is compressed). */
function send(body: Buffer, headers: Record<string, string> = {}, expected = body): Promise<{ status: number; json: Record<string, unknown> }> {
  lastSent = expected;
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/hook`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const jsonOf = (bytes: number): Buffer => Buffer.from(JSON.stringify({ pad: 'ø'.repeat(Math.ceil(bytes / 2)) }), 'utf8');

describe('the hook body parser', () => {
  it('parses a normal body as JSON', async () => {
    expect((await send(jsonOf(1000))).json).toEqual({ kind: 'parsed' });
  });

  it('keeps a large body as its exact bytes, in a buffer of its own that can be moved without a copy', async () => {
    const body = jsonOf(3 * RAW_ABOVE);
    const answer = await send(body);
    expect(answer.json).toEqual({ kind: 'bytes', length: body.length, movable: true, sameBytes: true });
  });

  it('inflates a large compressed body through express.raw', async () => {
    // Numbers that do not repeat, so that even compressed the body is above the threshold and the raw path is taken.
    const text = Buffer.from(JSON.stringify({ pad: Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 10007).join(',') }));
    const zipped = gzipSync(text);
    expect(zipped.length).toBeGreaterThan(RAW_ABOVE);
    const answer = await send(zipped, { 'content-encoding': 'gzip' }, text);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ kind: 'bytes', length: text.length, sameBytes: true });
  });

  it('refuses a body declared above the limit before reading it (entity.too.large, 413)', async () => {
    errors = [];
    const answer = await send(jsonOf(LIMIT + 10));
    expect(answer.status).toBe(413);
    expect(errors).toEqual([{ type: 'entity.too.large', status: 413 }]);
  });

  it('leaves a large body that is not JSON by type to the JSON parser (no body)', async () => {
    const answer = await send(jsonOf(2 * RAW_ABOVE), { 'content-type': 'text/plain' });
    expect(answer.json).toEqual({ kind: 'none' });
  });

  it('reports a client that stops half-way as request.aborted and keeps serving', async () => {
    errors = [];
    const body = jsonOf(4 * RAW_ABOVE);
    await new Promise<void>((resolve) => {
      const req = http.request(`${base}/hook`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
      req.on('error', () => resolve());
      req.write(body.subarray(0, RAW_ABOVE), () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(errors).toEqual([{ type: 'request.aborted', status: 400 }]);
    expect((await send(jsonOf(3 * RAW_ABOVE))).json).toMatchObject({ kind: 'bytes', sameBytes: true });
  });
});

describe('movableBytes', () => {
  it('moves bytes that own their whole ArrayBuffer and copies a slice of a shared one', () => {
    const own = Buffer.allocUnsafeSlow(100);
    expect(movableBytes({ raw: own })).toEqual([own.buffer]);
    const pooled = Buffer.from('small');
    expect(pooled.byteLength).toBeLessThan(pooled.buffer.byteLength);
    expect(movableBytes({ raw: pooled })).toEqual([]);
    expect(movableBytes({})).toEqual([]);
  });
});
