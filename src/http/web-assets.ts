/**
 * Serves the browser code: /app/ (the SMART app) and /assets/ (the simulator's script). Production serves what
 * `npm run build` wrote to dist/public/; development builds it in memory with esbuild on the first request and
 * again whenever a page is loaded, so an edit shows on reload without a build step.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type Router } from 'express';
import type { BuildResult } from 'esbuild';
import type { Definitions } from '../course/definitions/types.js';
import { definitionsToJson } from '../course/definitions/serialize.js';
import { PUBLIC_DIR, WEB_STATIC, webBuildOptions } from '../web-build.js';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/** Where the browser code finds the service's active course definitions (beside the app, same origin). */
export const DEFINITIONS_PATH = '/app/course-definitions.json';

export function createWebAssetsRouter(options: { projectRoot: string; build: 'memory' | 'dist'; definitions: Definitions }): Router {
  const router = express.Router();
  const files = options.build === 'memory' ? memoryFiles(options.projectRoot) : distFiles(options.projectRoot);
  // The app and the simulator compute with exactly the definitions (overrides applied) this service uses.
  const definitions = JSON.stringify(definitionsToJson(options.definitions));
  router.get(DEFINITIONS_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/json').send(definitions);
  });

  router.get(['/app/', '/app', '/app/index.html', '/app/app.js', '/app/app.css', '/assets/simulator.js', '/assets/simulator.css'], async (req, res) => {
    // express matches /app and /app/ alike (non-strict routing): the page's relative URLs need the slash.
    const raw = req.originalUrl.split('?')[0];
    if (raw === '/app') return void res.redirect(301, '/app/');
    const path = raw === '/app/' ? 'app/index.html' : req.path.slice(1);
    const body = await files(path, path.endsWith('.html'));
    if (body === undefined) {
      res.status(404).type('text/plain').send(options.build === 'dist' ? 'not built: run npm run build' : 'not found');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type(TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream').send(body);
  });
  return router;
}

type FileSource = (publicPath: string, isPage: boolean) => Promise<Buffer | undefined>;

function distFiles(root: string): FileSource {
  return async (path) => readFile(join(root, PUBLIC_DIR, path)).catch(() => undefined);
}

function memoryFiles(root: string): FileSource {
  let built: Promise<Map<string, Buffer>> | undefined;
  const outdir = join(root, PUBLIC_DIR);
  const rebuild = (): Promise<Map<string, Buffer>> => {
    built = (async () => {
      const { build } = await import('esbuild');
      const result: BuildResult<{ write: false }> = await build({ ...webBuildOptions(root), write: false });
      const out = new Map<string, Buffer>();
      for (const file of result.outputFiles) out.set(file.path.slice(outdir.length + 1).split('\\').join('/'), Buffer.from(file.contents));
      return out;
    })();
    return built;
  };
  return async (path, isPage) => {
    const staticSource = Object.entries(WEB_STATIC).find(([out]) => out === path)?.[1];
    if (staticSource) {
      if (isPage) void rebuild().catch(() => undefined);
      return readFile(join(root, staticSource));
    }
    const map = await (built ?? rebuild());
    return map.get(path);
  };
}
