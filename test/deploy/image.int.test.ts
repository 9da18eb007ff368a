import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { createTestIssuer } from '../support/jwt.js';
import { PROJECT_ROOT } from '../support/start-service.js';
import { parseDockerfile, type Stage, type Step } from './dockerfile.js';

/**
 * The container image, built and started without a container runtime (none runs on this machine or in CI): each
 * stage of the Dockerfile becomes a clean folder, and its steps run there in order: COPY from the checkout or an
 * earlier stage, `npm ci --omit=dev`, the build, then the runtime stage's CMD in production mode, as an unprivileged
 * user, answering /readyz and passing the image's own HEALTHCHECK command. What only an image can do (the base
 * images, USER's uid, the HEALTHCHECK schedule) is checked as written, not run.
 */
const dir = mkdtempSync(join(tmpdir(), 'lbp-image-'));
const dataDir = join(dir, 'data');
const asRoot = process.getuid?.() === 0;
/** The Dockerfile's USER stands for this one here: any account that is not root. */
const RUN_AS = 'nobody';
const stages = parseDockerfile(join(PROJECT_ROOT, 'Dockerfile'));
const runtime = stages[stages.length - 1]!;
const folder = (stage: Stage): string => join(dir, stage.name);
/** The image's absolute paths, here: /data (the SQLite fallback) lives in the test's own folder. */
const local = (text: string): string => text.replace(/(^|[\s=])\/data\b/g, `$1${dataDir}`);
/** Steps that change the image's system rather than the app: what each becomes here. */
const SYSTEM_STEPS: Record<string, () => void> = {
  'mkdir -p /data && chown node:node /data': () => {
    mkdirSync(dataDir, { recursive: true });
    if (asRoot) chownSync(dataDir, Number(execFileSync('id', ['-u', RUN_AS], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', RUN_AS], { encoding: 'utf8' })));
  },
};

function envOf(stage: Stage): Record<string, string> {
  return Object.assign({}, ...stage.steps.filter((s): s is Extract<Step, { kind: 'ENV' }> => s.kind === 'ENV').map((s) => s.vars)) as Record<string, string>;
}

function runStage(stage: Stage): void {
  const root = folder(stage);
  mkdirSync(root, { recursive: true });
  let workdir = '/';
  for (const step of stage.steps) {
    if (step.kind === 'WORKDIR') workdir = step.path;
    else if (step.kind === 'COPY') {
      for (const source of step.sources) {
        const from = step.from
          ? join(folder(stages.find((s) => s.name === step.from)!), source.replace(new RegExp(`^${workdir}/?`), ''))
          : join(PROJECT_ROOT, source);
        expect(existsSync(from), `COPY ${source}`).toBe(true);
        const to = step.dest.endsWith('/') ? join(root, step.dest, source.split('/').pop()!) : join(root, step.dest);
        cpSync(from, to, { recursive: true, verbatimSymlinks: true });
      }
    } else if (step.kind === 'RUN') {
      if (step.command.startsWith('npm ')) {
        execFileSync('sh', ['-c', step.command], { cwd: root, stdio: 'pipe', // The npm cache may answer without asking the registry again (a test's speed, not the image's content).
        env: { ...process.env, ...envOf(stage), NODE_ENV: '', npm_config_prefer_offline: 'true' }, timeout: 540_000 });
      } else {
        const system = SYSTEM_STEPS[step.command];
        if (!system) throw new Error(`RUN ${step.command}: not a step this test knows how to run without an image`);
        system();
      }
    }
  }
}

function start(env: Record<string, string>): { exited: Promise<number | null>; output: () => string; kill: () => void } {
  const cmd = runtime.steps.find((s): s is Extract<Step, { kind: 'CMD' }> => s.kind === 'CMD')!.command;
  const imageEnv = Object.fromEntries(Object.entries(envOf(runtime)).map(([k, v]) => [k, local(v)]));
  const [exe, ...args] = cmd[0] === 'node' ? [process.execPath, ...cmd.slice(1)] : cmd;
  const argv = asRoot ? ['runuser', ['-u', RUN_AS, '--', exe!, ...args]] as const : [exe!, args] as const;
  const child = spawn(argv[0], [...argv[1]], {
    cwd: folder(runtime),
    // Nothing from this checkout's environment: only the image's ENV and what a deployment sets.
    env: { PATH: process.env.PATH ?? '', ...imageEnv, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return { exited: new Promise((r) => child.once('close', (code) => r(code))), output: () => out, kill: () => void child.kill('SIGTERM') };
}

beforeAll(() => {
  chmodSync(dir, 0o755);
  for (const stage of stages) runStage(stage);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }), 300_000);

describe('the container image (its Dockerfile steps, run in clean folders)', () => {
  it('is multi-stage, runs as a user that is not root, exposes its port and checks /readyz', () => {
    expect(stages.map((s) => s.name)).toEqual(['deps', 'build', 'runtime']);
    expect(runtime.image).toMatch(/-slim$/);
    const user = runtime.steps.find((s) => s.kind === 'USER');
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain((user as { user: string }).user);
    expect(runtime.steps.find((s) => s.kind === 'HEALTHCHECK')).toMatchObject({ command: expect.arrayContaining([expect.stringContaining('/readyz')]) });
    expect(envOf(runtime).NODE_ENV).toBe('production');
  });

  it('ships production dependencies and the build only: no dev dependencies, no sources', () => {
    const app = folder(runtime);
    expect(existsSync(join(app, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'express'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'pg'))).toBe(true);
    for (const dev of ['vitest', 'typescript', 'autocannon', 'fast-check']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(app, 'src'))).toBe(false);
  });

  it('refuses to start without PUBLIC_BASE_URL (exit 78)', async () => {
    const issuer = await createTestIssuer('https://ehr.example.dk');
    writeFileSync(join(dir, 'cds-config.json'), JSON.stringify({ trustedIssuers: [{ iss: issuer.iss, jwks: issuer.jwks, fhirServers: [] }] }));
    chmodSync(join(dir, 'cds-config.json'), 0o644);
    const proc = start({ CDS_CONFIG: join(dir, 'cds-config.json'), PORT: String(await freePort()) });
    expect(await proc.exited).toBe(78);
    expect(proc.output()).toContain('PUBLIC_BASE_URL is required in production');
  }, 30_000);

  it('starts in production mode, answers /readyz and an authenticated call, and passes its HEALTHCHECK', async () => {
    const issuer = await createTestIssuer('https://ehr.example.dk');
    writeFileSync(join(dir, 'cds-config.json'), JSON.stringify({ trustedIssuers: [{ iss: issuer.iss, jwks: issuer.jwks, fhirServers: [] }] }));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = start({ CDS_CONFIG: join(dir, 'cds-config.json'), PORT: String(port), PUBLIC_BASE_URL: base });
    try {
      const deadline = Date.now() + 30_000;
      while (!(await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false))) {
        if (Date.now() > deadline) throw new Error(`not ready: ${proc.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await fetch(`${base}/cds-services`)).status).toBe(401);
      const token = await issuer.sign(`${base}/cds-services`);
      expect((await fetch(`${base}/cds-services`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      // The sandbox is off in production: no embedded FHIR server.
      expect((await fetch(`${base}/fhir/metadata`)).status).toBe(404);
      const check = runtime.steps.find((s): s is Extract<Step, { kind: 'HEALTHCHECK' }> => s.kind === 'HEALTHCHECK')!.command;
      const [exe, ...args] = check[0] === 'node' ? [process.execPath, ...check.slice(1)] : check;
      execFileSync(exe!, args, { env: { PATH: process.env.PATH ?? '', PORT: String(port) }, timeout: 5000 });
      // The SQLite fallback went to the image's data folder, which the unprivileged user may write.
      expect(existsSync(join(dataDir, 'feedback.sqlite'))).toBe(true);
    } finally {
      proc.kill();
      await proc.exited;
    }
  }, 60_000);
});
