import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { connectionReason } from './connection-reason.js';

const TIMEOUT_MS = 60_000;

/**
 * POSTs each Bundle to the server's base as a transaction, one at a time, with progress. A server that cannot be
 * reached at all stops the run at the first Bundle with one message: every other Bundle would fail the same way.
 * A server that answers with an error is reported per Bundle and the run goes on (the next Bundle may be fine).
 */
export async function loadBundles(options: {
  fhirServer: string;
  token?: string;
  files: string[] | undefined;
  projectRoot: string;
  progress: (line: string) => void;
  /** Why the run stopped, when it stops before the end. */
  fail: (message: string) => void;
}): Promise<boolean> {
  const dir = join(options.projectRoot, 'fhir-resources', 'examples');
  const files = options.files ?? readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
  const bundles: { name: string; text: string; entries: number }[] = [];
  for (const file of files) {
    const read = readBundle(file);
    if (typeof read === 'string') {
      options.fail(read);
      return false;
    }
    bundles.push(read);
  }
  let failures = 0;
  for (const [index, bundle] of bundles.entries()) {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(options.fhirServer, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/fhir+json',
          Accept: 'application/fhir+json',
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        },
        body: bundle.text,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      options.fail(`cannot reach ${options.fhirServer} (${connectionReason(error, TIMEOUT_MS)}); nothing more was sent. Check --fhir-server and that the server is running.`);
      return false;
    }
    const ms = Math.round(performance.now() - started);
    options.progress(`[${index + 1}/${bundles.length}] ${bundle.name}: ${bundle.entries} resources -> HTTP ${response.status} ${response.ok ? 'ok' : response.statusText} (${ms} ms)`);
    if (!response.ok) failures += 1;
  }
  options.progress(`${bundles.length - failures} of ${bundles.length} Bundles loaded`);
  return failures === 0;
}

function readBundle(file: string): { name: string; text: string; entries: number } | string {
  let parsed: unknown;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    parsed = JSON.parse(text);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === 'ENOENT' ? `no such file: ${file}` : `${file} is not readable JSON (${code ?? (error as Error).name})`;
  }
  const bundle = parsed as { resourceType?: unknown; type?: unknown; entry?: unknown[] } | null;
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction') return `${file} is not a FHIR transaction Bundle`;
  return { name: basename(file), text, entries: bundle.entry?.length ?? 0 };
}
