import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * Input no client should send, sent anyway: every answer is a 4xx with an OperationOutcome, never a 500, never a
 * crash, and the service serves the next call. Slow clients are cut off by the real process's server timeouts.
 */
const MAX_BODY = 4096;
const HOOK = '/cds-services/lbp-patient-view';
const valid = (): Record<string, unknown> => ({
  hook: 'patient-view',
  hookInstance: randomUUID(),
  context: { userId: 'Practitioner/pt-1', patientId: 'p1' },
  prefetch: { encounters: null, episodes: null, carePlans: null, scores: null, responses: null, patient: null },
});

let svc: RunningService;
beforeAll(async () => {
  svc = await startService({ env: { CDS_MAX_BODY_BYTES: String(MAX_BODY) } });
});
afterAll(() => svc.close());

async function send(init: RequestInit & { path?: string }): Promise<{ status: number; body: any; contentType: string }> {
  const response = await fetch(`${svc.url}${init.path ?? HOOK}`, { method: 'POST', ...init });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* asserted below */
  }
  return { status: response.status, body, contentType: response.headers.get('content-type') ?? '' };
}

function expectOutcome(result: { status: number; body: any; contentType: string }, status: number): void {
  expect(result.status).toBe(status);
  expect(result.contentType).toMatch(/^application\/fhir\+json/);
  expect(result.body.resourceType).toBe('OperationOutcome');
  expect(result.body.issue.length).toBeGreaterThan(0);
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('bodies that are too large', () => {
  it('answers 413 to a body over the limit announced by Content-Length', async () => {
    expectOutcome(await send({ headers: JSON_TYPE, body: JSON.stringify({ ...valid(), pad: 'x'.repeat(MAX_BODY) }) }), 413);
  });

  it('answers 413 to a chunked body that grows over the limit without announcing its length', async () => {
    const chunks = [JSON.stringify({ ...valid(), pad: '' }).slice(0, -1), `,"more":"${'y'.repeat(MAX_BODY)}"}`];
    const body = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    expectOutcome(await send({ headers: JSON_TYPE, body, duplex: 'half' } as RequestInit), 413);
  });

  it('answers 413 to a small gzip body that inflates over the limit', async () => {
    const bomb = gzipSync(JSON.stringify({ ...valid(), pad: ' '.repeat(MAX_BODY * 50) }));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    expectOutcome(await send({ headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: new Uint8Array(bomb) }), 413);
  });
});

describe('bodies that are not JSON objects', () => {
  const cases: Array<[string, RequestInit]> = [
    ['truncated JSON', { headers: JSON_TYPE, body: '{"hook":' }],
    ['JSON with a trailing comma', { headers: JSON_TYPE, body: '{"hook":"patient-view",}' }],
    ['a bare number', { headers: JSON_TYPE, body: '42' }],
    ['null', { headers: JSON_TYPE, body: 'null' }],
    ['an array', { headers: JSON_TYPE, body: '[]' }],
    ['deeply nested arrays', { headers: JSON_TYPE, body: `${'['.repeat(1500)}${']'.repeat(1500)}` }],
    ['an empty body', { headers: JSON_TYPE, body: '' }],
    ['plain text', { headers: { 'content-type': 'text/plain' }, body: JSON.stringify(valid()) }],
    ['no Content-Type', { body: JSON.stringify(valid()) }],
    ['a charset JSON cannot have', { headers: { 'content-type': 'application/json; charset=utf-16' }, body: JSON.stringify(valid()) }],
    ['an unknown charset', { headers: { 'content-type': 'application/json; charset=klingon' }, body: JSON.stringify(valid()) }],
    ['gzip that is not gzip', { headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: JSON.stringify(valid()) }],
    ['brotli that is not brotli', { headers: { ...JSON_TYPE, 'content-encoding': 'br' }, body: JSON.stringify(valid()) }],
    ['an unknown Content-Encoding', { headers: { ...JSON_TYPE, 'content-encoding': 'zstd-ish' }, body: JSON.stringify(valid()) }],
    ['invalid UTF-8', { headers: JSON_TYPE, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }],
  ];
  for (const [name, init] of cases) {
    it(`answers 4xx with an OperationOutcome to ${name}`, async () => {
      const result = await send(init);
      expect(result.status, name).toBeGreaterThanOrEqual(400);
      expect(result.status, name).toBeLessThan(500);
      expectOutcome(result, result.status);
    });
  }
});

describe('requests that break the protocol', () => {
  const cases: Array<[string, Record<string, unknown>, number]> = [
    ['a hookInstance that is not a UUID', { ...valid(), hookInstance: 'x' }, 400],
    ['the wrong hook for the service', { ...valid(), hook: 'encounter-start' }, 400],
    ['no context', { ...valid(), context: undefined }, 400],
    ['a context of the wrong type', { ...valid(), context: 'Patient/1' }, 400],
    ['fhirAuthorization without fhirServer', { ...valid(), fhirAuthorization: { access_token: 'tok', token_type: 'Bearer', expires_in: 1, scope: 's', subject: 's' } }, 400],
    ['a prefetch that is a list', { ...valid(), prefetch: [] }, 400],
    ['prefetch entries that are not resources', { ...valid(), prefetch: { encounters: { resourceType: 'Bundle', entry: [1, null, 'x'] }, episodes: 'text' } }, 400],
    ['a fhirServer that is not http', { ...valid(), fhirServer: 'file:///etc/passwd' }, 400],
    ['__proto__ and constructor keys', JSON.parse('{"__proto__":{"polluted":true},"hook":"patient-view","hookInstance":"d3b07384-d113-4ec6-a5b1-4a1b2c3d4e5f","context":{"userId":"Practitioner/1","patientId":"p1","constructor":{"prototype":{"polluted":true}}}}'), 412],
  ];
  for (const [name, body, status] of cases) {
    it(`answers ${status} to ${name}`, async () => {
      const result = await svc.hook('lbp-patient-view', body);
      expect([status, 403]).toContain(result.status);
      expect(result.body.resourceType).toBe('OperationOutcome');
    });
  }

  it('leaves Object.prototype unpolluted', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers 404 to unknown services, 405 to other methods and 400/404 to broken percent-encoding in the path', async () => {
    expectOutcome(await send({ path: '/cds-services/no-such-service', headers: JSON_TYPE, body: JSON.stringify(valid()) }), 404);
    expectOutcome(await send({ path: HOOK, method: 'GET' }), 405);
    expectOutcome(await send({ path: HOOK, method: 'DELETE' }), 405);
    const broken = await send({ path: '/cds-services/%E0%A4%A', headers: JSON_TYPE, body: '{}' });
    expect([400, 404]).toContain(broken.status);
    expectOutcome(broken, broken.status);
    const brokenFeedback = await send({ path: '/cds-services/%ZZ/feedback', headers: JSON_TYPE, body: '{}' });
    expect([400, 404]).toContain(brokenFeedback.status);
  });

  it('answers 400 to feedback that is not feedback', async () => {
    for (const body of ['{}', '{"feedback":[]}', '{"feedback":[{}]}', '{"feedback":[{"card":"x","outcome":"maybe","outcomeTimestamp":"yesterday"}]}']) {
      expectOutcome(await send({ path: `${HOOK}/feedback`, headers: JSON_TYPE, body }), 400);
    }
  });

  it('answers CORS preflights without a body or a token', async () => {
    const response = await fetch(`${svc.url}${HOOK}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://sandbox.cds-hooks.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('after all the bad input', () => {
  it('logged no unexpected error and still answers a valid call', async () => {
    expect(svc.logs.map((l) => JSON.parse(l)).filter((l) => l.level >= 50)).toEqual([]);
    const ok = await svc.hook('lbp-patient-view', valid());
    expect(ok.status).toBe(200);
    expect(svc.logs.map((l) => JSON.parse(l)).filter((l) => l.status >= 500)).toEqual([]);
  });
});

/** The real process, so that its own server timeouts are the ones tested. */
describe('slow clients against the real process', () => {
  const TIMEOUT_MS = 1500;
  let child: ChildProcess;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lbp-slow-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: 'development', PORT: '0', CDS_SANDBOX: 'off', CDS_FEEDBACK_DB: join(dir, 'f.sqlite'), CDS_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const ready = out.split('\n').map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).find((l) => l?.msg === 'ready');
        if (ready) resolve(ready.base as string);
      });
      child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
      setTimeout(() => reject(new Error('service did not start')), 15_000).unref();
    });
  }, 20_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a raw socket, writes `start`, then drips `drip` every 200 ms; resolves when the server closes it. */
  function slowClient(start: string, drip: string): Promise<{ ms: number; answer: string }> {
    const { port, hostname } = new URL(base);
    const started = performance.now();
    return new Promise((resolve) => {
      const socket: Socket = connect(Number(port), hostname, () => socket.write(start));
      let answer = '';
      const timer = setInterval(() => socket.writable && socket.write(drip), 200);
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ ms: performance.now() - started, answer });
      });
    });
  }

  it('cuts off a client that sends its headers one at a time, and serves others meanwhile', async () => {
    const slow = slowClient(`POST ${HOOK} HTTP/1.1\r\nHost: x\r\n`, 'X-Drip: 1\r\n');
    const meanwhile = performance.now();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(performance.now() - meanwhile).toBeLessThan(500);
    const { ms, answer } = await slow;
    expect(ms).toBeGreaterThan(TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(TIMEOUT_MS + 2500);
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  }, 10_000);

  it('cuts off a client that sends its body a byte at a time', async () => {
    const head = `POST ${HOOK} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`;
    const { ms, answer } = await slowClient(head, ' ');
    expect(ms).toBeLessThan(TIMEOUT_MS + 2500);
    expect(answer === '' || /^HTTP\/1\.1 (408|400)/.test(answer)).toBe(true);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 10_000);
});
