/**
 * Three ways to load a server from the bench process:
 * - `saturate`: autocannon, closed loop, N connections: the maximum throughput.
 * - `openLoop`: requests sent on a fixed schedule whatever the answers do (autocannon's own rate limit sends each
 *   second's quota in a burst, which measures the burst, not the rate). Sending never waits for answers, so a stalled
 *   server shows in the latency (no coordinated omission); latency counts from the request's actual start, so a
 *   hiccup of this process's timers does not (its size is reported as senderLagP99Ms).
 * - `call`: one request at a time, for per-call figures.
 * Latencies are recorded as floats from autocannon's response events: its histogram keeps whole milliseconds only.
 */
import autocannon from 'autocannon';
import http from 'node:http';
import { summarize, round, type LatencySummary } from './stats.js';

export interface LoadResult extends LatencySummary {
  /** Open loop only: p99 of how late requests left against their schedule. */
  readonly senderLagP99Ms?: number;
  /** Open loop only: requests that got no answer, by error code (e.g. ECONNRESET). */
  readonly errorKinds?: Record<string, number>;
  readonly rps: number;
  /** Non-2xx answers plus socket errors and timeouts. */
  readonly errors: number;
  readonly requests: number;
  readonly durationSec: number;
  readonly statusCodes: Record<string, number>;
}

export interface SaturateOptions {
  readonly url: string;
  readonly body: string;
  readonly headers?: Record<string, string>;
  readonly connections: number;
  /** Run for this long... */
  readonly durationSec?: number;
  /** ...or until this many requests have been answered. */
  readonly amount?: number;
  /** A fresh header set per request (e.g. a JWT with a unique jti); must be synchronous. */
  readonly headersFor?: () => Record<string, string>;
}

export async function saturate(options: SaturateOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const headers = { 'content-type': 'application/json', ...options.headers };
  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({
    url: options.url,
    method: 'POST',
    body: options.body,
    headers,
    connections: options.connections,
    pipelining: 1,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSec ?? 10 }),
    timeout: 10,
    ...(options.headersFor
      ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, headers: { ...headers, ...options.headersFor!() } }) }] }
      : {}),
    }, (error, result) => (error ? reject(error as Error) : resolve(result)));
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const result = await finished;
  const ok = Object.entries(statusCodes).reduce((n, [code, count]) => (code.startsWith('2') ? n + count : n), 0);
  return {
    ...summarize(latencies),
    rps: round(ok / result.duration, 1),
    errors: result.non2xx + result.errors + result.timeouts,
    requests: latencies.length,
    durationSec: result.duration,
    statusCodes,
  };
}

export interface CallResult {
  readonly status: number;
  readonly ms: number;
  readonly body: string;
}

const sequentialAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One POST (or GET without a body); `ms` is from the first byte written to the last byte read. */
export function call(
  url: string,
  body: string | undefined,
  headers: Record<string, string> = {},
  agent: http.Agent = sequentialAgent,
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        agent,
        headers: body === undefined ? headers : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface OpenLoopOptions {
  readonly url: string;
  readonly body: string;
  readonly rate: number;
  readonly durationSec: number;
  /** Headers per request; may be async (a JWT signed on the fly). */
  readonly headersFor?: () => Record<string, string> | Promise<Record<string, string>>;
}

/** Requests at `rate` per second, evenly spaced, each measured from its scheduled start. */
export async function openLoop(options: OpenLoopOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const latencies: number[] = [];
  /** How late each request left against its schedule: the generator's own hiccups, kept out of the latency. */
  const lags: number[] = [];
  const statusCodes: Record<string, number> = {};
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  const total = Math.max(1, Math.round(options.rate * options.durationSec));
  const interval = 1000 / options.rate;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((done) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor((performance.now() - started) / interval) + 1);
      while (sent < due) {
        const scheduled = started + sent * interval;
        sent++;
        pending.push(
          (async () => {
            try {
              const headers = options.headersFor ? await options.headersFor() : {};
              lags.push(performance.now() - scheduled);
              const res = await call(options.url, options.body, headers, agent);
              latencies.push(res.ms);
              statusCodes[res.status] = (statusCodes[res.status] ?? 0) + 1;
              if (res.status < 200 || res.status > 299) errors++;
            } catch (error) {
              errors++;
              const kind = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
              errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
            }
          })(),
        );
      }
      if (sent >= total) done();
      else setTimeout(tick, Math.max(0, Math.min(interval, 1)));
    };
    tick();
  });
  await Promise.all(pending);
  const durationSec = (performance.now() - started) / 1000;
  agent.destroy();
  const ok = Object.entries(statusCodes).reduce((n, [code, count]) => (code.startsWith('2') ? n + count : n), 0);
  return {
    ...summarize(latencies),
    rps: round(ok / durationSec, 1),
    errors,
    requests: total,
    durationSec: round(durationSec),
    statusCodes,
    errorKinds,
    senderLagP99Ms: summarize(lags).p99Ms,
  };
}
