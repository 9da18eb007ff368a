import { parseHttpUrl } from './option-parsers.js';

/**
 * Which service the CLI calls: `--service`, else CDS_SERVICE_URL, else the local service on PORT (as `npm start`
 * binds it), else port 3000. Returned with where it came from, so the CLI can say which one it used.
 */
export const DEFAULT_PORT = 3000;

export interface ServiceTarget {
  readonly url: string;
  readonly from: '--service' | 'CDS_SERVICE_URL' | 'PORT' | 'default';
}

/** Throws an Error naming the variable when CDS_SERVICE_URL or PORT is not usable. */
export function serviceTarget(option: string | undefined, env: NodeJS.ProcessEnv): ServiceTarget {
  if (option) return { url: option, from: '--service' };
  if (env.CDS_SERVICE_URL) {
    try {
      return { url: parseHttpUrl(env.CDS_SERVICE_URL), from: 'CDS_SERVICE_URL' };
    } catch (error) {
      throw new Error(`CDS_SERVICE_URL "${env.CDS_SERVICE_URL}" is not usable. ${(error as Error).message}`);
    }
  }
  if (env.PORT) {
    const port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT "${env.PORT}" is not a port number (1-65535).`);
    return { url: `http://127.0.0.1:${port}`, from: 'PORT' };
  }
  return { url: `http://127.0.0.1:${DEFAULT_PORT}`, from: 'default' };
}
