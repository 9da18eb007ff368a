import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version of package.json, the one place it is stated: the discovery document, `--version` and the start-up
 * log read it from here. Resolved from this file, so it works from src/ (tsx) and from dist/ (the build) alike.
 */
export const VERSION: string = (
  JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as { version: string }
).version;
