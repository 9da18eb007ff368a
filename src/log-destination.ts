import { destination, type DestinationStream } from 'pino';

/**
 * Where the logs go: readable lines when a developer watches development mode in a terminal, JSON lines otherwise
 * (production, test, and any run whose stdout is a pipe or a file, where a log collector reads them). pino-pretty
 * is imported only then, so a production start never loads it. Redaction happens in pino before either.
 */
export function wantsPrettyLogs(mode: 'development' | 'production' | 'test', stdoutIsTTY: boolean): boolean {
  return mode === 'development' && stdoutIsTTY;
}

export async function prettyDestination(): Promise<DestinationStream> {
  const { default: pretty } = await import('pino-pretty');
  // In process (no worker thread) and synchronous, so log lines and the start-up banner keep their order.
  return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service', sync: true, singleLine: true });
}

/** pino's own default (stdout, asynchronous, flushed on exit), made explicit so the banner can share its order. */
export function jsonDestination(): DestinationStream {
  return destination({ dest: 1, sync: false });
}
