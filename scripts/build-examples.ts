/**
 * Writes the demo patients' transaction Bundles to fhir-resources/examples/ (same output on every run):
 *   npx tsx scripts/build-examples.ts
 * Stale files of earlier runs are removed, so the folder holds exactly the catalogue's Bundles.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES_DIR, buildExampleFiles } from './examples/build.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = buildExampleFiles();
const wanted = new Set(files.map((f) => f.path));

mkdirSync(join(root, EXAMPLES_DIR), { recursive: true });
for (const name of readdirSync(join(root, EXAMPLES_DIR))) {
  const path = `${EXAMPLES_DIR}/${name}`;
  if (name.endsWith('.json') && !wanted.has(path)) rmSync(join(root, path));
}
for (const file of files) writeFileSync(join(root, file.path), file.content);
console.log(`wrote ${files.length} example Bundles to ${EXAMPLES_DIR}/`);
