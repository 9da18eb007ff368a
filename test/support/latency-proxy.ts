/**
 * A remote FHIR server, simulated: an HTTP proxy on 127.0.0.1 that holds every request `delayMs` before passing it
 * on to the real server behind it, the way a WAN round trip or an EHR's API gateway does. It forwards the Host
 * header as the client sent it, so the server's paging links point back at the proxy (as they would at a gateway).
 * It records each request's arrival and end, so a test or the benchmark can count the parallel waves of a call.
 * Used by the reader's tests and by `npm run bench` (remote runs).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  /** performance.timeOrigin-based ms, this process's clock. */
  readonly arrival: number;
  end: number;
  /** Path and query as requested. */
  readonly url: string;
  status: number;
}

export interface LatencyProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:41234. */
  readonly origin: string;
  readonly requests: ProxiedRequest[];
  delayMs: number;
  close(): Promise<void>;
}

const now = (): number => performance.timeOrigin + performance.now();

export async function startLatencyProxy(target: string, delayMs: number): Promise<LatencyProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const requests: ProxiedRequest[] = [];
  const state = { delayMs };
  const forward = (req: IncomingMessage, res: ServerResponse, record: ProxiedRequest): void => {
    const out = http.request({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    }, (answer) => {
      record.status = answer.statusCode ?? 0;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  };
  const server = http.createServer((req, res) => {
    const record: ProxiedRequest = { arrival: now(), end: 0, url: req.url ?? '', status: 0 };
    requests.push(record);
    res.on('finish', () => {
      record.end = now();
    });
    const timer = setTimeout(() => forward(req, res, record), state.delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
