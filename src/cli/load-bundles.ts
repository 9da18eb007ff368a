import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** POSTs each Bundle to the server's base as a transaction, one at a time, with progress. */
export async function loadBundles(options: {
  fhirServer: string;
  token?: string;
  files: string[] | undefined;
  projectRoot: string;
  progress: (line: string) => void;
}): Promise<boolean> {
  const dir = join(options.projectRoot, 'fhir-resources', 'examples');
  const files = options.files ?? readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
  let failures = 0;
  for (const [index, file] of files.entries()) {
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { entry?: unknown[] };
    const started = performance.now();
    const response = await fetch(options.fhirServer.replace(/\/$/, ''), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/fhir+json',
        Accept: 'application/fhir+json',
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify(bundle),
      signal: AbortSignal.timeout(60_000),
    }).catch((error: unknown) => ({ ok: false, status: 0, statusText: (error as Error).message }) as Response);
    const ms = Math.round(performance.now() - started);
    const name = file.split('/').pop();
    options.progress(`[${index + 1}/${files.length}] ${name}: ${bundle.entry?.length ?? 0} resources -> HTTP ${response.status} ${response.ok ? 'ok' : response.statusText} (${ms} ms)`);
    if (!response.ok) failures += 1;
  }
  options.progress(`${files.length - failures} of ${files.length} Bundles loaded`);
  return failures === 0;
}
