/**
 * Writes the example calls of cds-hooks/examples/ and the answers the service gives them:
 *   npx tsx scripts/build-cds-examples.ts
 * Each `<name>.request.json` is built from a demo patient (src/demo/cds-examples.ts); its `<name>.response.json` is
 * what the service answers, at the demo's "today" and with numbered ids. Rerun it when card texts change, and read
 * the diff: test/cds-hooks/examples.int.test.ts compares the service's answers with these files.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createService } from '../src/service.js';
import { CDS_EXAMPLES, EXAMPLES_DIR, EXAMPLES_NOW } from '../src/demo/cds-examples.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const config = { ...loadConfig({ NODE_ENV: 'development', CDS_SANDBOX: 'off', CDS_FEEDBACK_DB: ':memory:' }, root) };
let n = 0;
const service = await createService({
  config,
  logger: createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() })),
  now: () => new Date(EXAMPLES_NOW),
  newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
});
const server = service.app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const dir = join(root, EXAMPLES_DIR);
mkdirSync(dir, { recursive: true });
const wanted = new Set(CDS_EXAMPLES.flatMap((e) => [`${e.name}.request.json`, `${e.name}.response.json`]));
for (const name of readdirSync(dir)) if (name.endsWith('.json') && !wanted.has(name)) rmSync(join(dir, name));
for (const example of CDS_EXAMPLES) {
  n = 0;
  const body = example.body(root);
  const response = await fetch(`${base}${example.path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`${example.name}: HTTP ${response.status} ${await response.text()}`);
  writeFileSync(join(dir, `${example.name}.request.json`), `${JSON.stringify(body, null, 2)}\n`);
  writeFileSync(join(dir, `${example.name}.response.json`), `${JSON.stringify(await response.json(), null, 2)}\n`);
}
server.close();
await service.close();
console.log(`wrote ${CDS_EXAMPLES.length} example calls and their answers to ${EXAMPLES_DIR}/`);
