/**
 * The browser code's build (esbuild): the SMART app at /app/ and the EHR simulator's script, from `src/web/`.
 * `npm run build` writes it to dist/public/ (scripts/build-web.ts); development builds it in memory on demand
 * (src/http/web-assets.ts), so `npm start` needs no separate step.
 */
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';

/** Output path (under the public root) -> entry point. */
export const WEB_ENTRIES: Readonly<Record<string, string>> = {
  'app/app': 'src/web/app/main.ts',
  'assets/simulator': 'src/web/simulator/main.ts',
};

/** Static files copied as they are: public path -> source. */
export const WEB_STATIC: Readonly<Record<string, string>> = {
  'app/index.html': 'src/web/app/index.html',
};

export const PUBLIC_DIR = join('dist', 'public');

export function webBuildOptions(projectRoot: string): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints: Object.entries(WEB_ENTRIES).map(([out, entry]) => ({ in: entry, out })),
    outdir: join(projectRoot, PUBLIC_DIR),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    // fhirclient's browser entry point is chosen by its `browser` field.
    mainFields: ['browser', 'module', 'main'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  };
}
