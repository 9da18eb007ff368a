/** `npm run build`, browser part: the SMART app and the simulator script into dist/public/. */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PUBLIC_DIR, WEB_STATIC, webBuildOptions } from '../src/web-build.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
await build(webBuildOptions(root));
for (const [out, source] of Object.entries(WEB_STATIC)) {
  const target = join(root, PUBLIC_DIR, out);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(root, source), target);
}
