/**
 * Runs the embedded FHIR server standalone:
 *   npx tsx scripts/fhir-server.ts [--port 8081] [--host 127.0.0.1] [--bearer TOKEN] [paths...]
 * Paths are Bundle .json files, .ndjson files or folders of them (default: fhir-resources/examples/).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Bundle } from 'fhir/r4.js';
import { parseNdjson } from '../src/sandbox/bundle-loader.js';
import { startFhirServer } from '../src/sandbox/start-fhir-server.js';

const DEFAULT_PATH = 'fhir-resources/examples';

function expand(path: string): string[] {
  if (!existsSync(path)) {
    throw new Error(`No such file or folder: ${path}`);
  }
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .filter((name) => name.endsWith('.json') || name.endsWith('.ndjson'))
      .sort()
      .map((name) => join(path, name));
  }
  return [path];
}

const program = new Command()
  .name('fhir-server')
  .description('In-memory FHIR R4 server loaded with example Bundles')
  .option('-p, --port <port>', 'port (0 = any free port)', '8081')
  .option('-H, --host <host>', 'interface to listen on', '127.0.0.1')
  .option('--bearer <token>', 'require Authorization: Bearer <token>')
  .argument('[paths...]', 'Bundle .json / .ndjson files or folders')
  .parse();

const opts = program.opts<{ port: string; host: string; bearer?: string }>();
const paths = program.args.length > 0 ? program.args : existsSync(DEFAULT_PATH) ? [DEFAULT_PATH] : [];

const running = await startFhirServer({
  port: Number(opts.port),
  host: opts.host,
  ...(opts.bearer ? { requireBearer: opts.bearer } : {}),
});
for (const file of paths.flatMap(expand)) {
  const text = readFileSync(file, 'utf8');
  const result = file.endsWith('.ndjson')
    ? await running.server.loadResources(parseNdjson(text))
    : await running.server.load(JSON.parse(text) as Bundle);
  const unresolved = result.unresolvedReferences ? `, ${result.unresolvedReferences} unresolved conditional references` : '';
  console.log(`loaded ${file}: ${result.created} created, ${result.updated} updated${unresolved}`);
}
console.log(`FHIR server: ${running.url} (${running.server.repository.count()} resources)`);

const stop = (): void => {
  void running.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
