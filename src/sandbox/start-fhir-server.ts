/**
 * Starts the embedded FHIR server on its own HTTP port, the router mounted at /fhir: the "EHR's FHIR server" of
 * integration tests (port 0 picks a free port) and of scripts/fhir-server.ts.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { createFhirServer } from './fhir-server.js';
import type { FhirServer, FhirServerOptions } from './fhir-server.js';

export interface StartFhirServerOptions extends FhirServerOptions {
  readonly port?: number;
  readonly host?: string;
}

export interface RunningFhirServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234/fhir */
  readonly url: string;
  readonly server: FhirServer;
  readonly http: Server;
  close(): Promise<void>;
}

export async function startFhirServer(options: StartFhirServerOptions = {}): Promise<RunningFhirServer> {
  const { port = 0, host = '127.0.0.1', ...serverOptions } = options;
  const server = await createFhirServer({ cors: true, ...serverOptions });
  const app = express();
  app.disable('x-powered-by');
  app.use('/fhir', server.router);

  const http = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(listening)));
  });
  const address = http.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}/fhir`,
    server,
    http,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
