import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/start-service.js';

/**
 * What `npm start` writes: readable log lines when development mode runs in a terminal (a real pseudo-terminal,
 * from util-linux's `script`), JSON lines when stdout is a pipe; the banner in both.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lbp-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function env(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'info', CDS_FEEDBACK_DB: join(dir, `f-${Math.random()}.sqlite`), TERM: 'dumb' };
}

/**
 * Runs until the banner's last line is out, then stops the process (ours) and returns everything it wrote, up to its
 * pipes' close: the JSON logger writes asynchronously, so its 'ready' line can follow the banner and reach the pipe
 * only as the process exits, after the 'exit' event.
 */
async function output(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('npm run cli -- demo-patients')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`exited before the banner:\n${out}`));
    });
  });
  child.kill('SIGTERM');
  await exited;
  return out.replace(/\r/g, '');
}

describe('npm start output', () => {
  it('is readable log lines and the banner in a terminal', async () => {
    const child = spawn('script', ['-qfec', `${process.execPath} --import tsx src/main.ts`, '/dev/null'], { cwd: PROJECT_ROOT, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out = await output(child);
    expect(out).toMatch(/\[\d\d:\d\d:\d\d\] (\S*)WARN(\S*): (\S*)development mode: unauthenticated calls are accepted/);
    expect(out).toMatch(/\[\d\d:\d\d:\d\d\] (\S*)INFO(\S*): (\S*)ready/);
    expect(out).not.toContain('{"level":');
    expect(out).toMatch(/Simulator \(an EHR in the browser\): {2}http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('is JSON lines and the banner when stdout is a pipe', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PROJECT_ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out = await output(child);
    const logLines = out.split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(expect.arrayContaining(['ready']));
    expect(out).not.toMatch(/\[\d\d:\d\d:\d\d\] /);
    expect(out).toContain('npm run cli -- demo-patients');
    // The banner shares the logs' stream, so it comes after 'ready' although JSON logs are written asynchronously.
    expect(out.indexOf('"msg":"ready"')).toBeLessThan(out.indexOf('Simulator (an EHR in the browser)'));
  });
});
