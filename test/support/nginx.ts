import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { PROJECT_ROOT } from './start-service.js';

/** The deployment's own proxy configuration (compose.yaml mounts it): the test runs it, not a copy. */
const DEPLOY_CONF = join(PROJECT_ROOT, 'deploy', 'nginx.conf');

/**
 * A real nginx (Debian's package, which .ci/run installs) on 127.0.0.1 as the load balancer in front of our
 * instances, running deploy/nginx.conf itself: forwarded headers, a dead upstream taken out after failed connects and
 * the call sent to another (never a request already sent: a POST is not repeated by the proxy, the client decides).
 * Only what differs on a test machine is changed: the listen address, the upstream servers and the file locations.
 */
export interface RunningNginx {
  readonly url: string;
  readonly port: number;
  errorLog(): string;
  close(): Promise<void>;
}

export async function startNginx(upstreams: readonly number[]): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'lbp-nginx-'));
  // As root the workers run as an unprivileged user: the temp folders must be theirs to write.
  for (const sub of ['body', 'proxy']) {
    mkdirSync(join(dir, sub));
    chmodSync(join(dir, sub), 0o777);
  }
  chmodSync(dir, 0o755);
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, fromDeployConfig(readFileSync(DEPLOY_CONF, 'utf8'), { dir, port, upstreams }));
  const child: ChildProcess = spawn('nginx', ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    // Any answer (a 502 while the upstreams start) means nginx is listening.
    if (await fetch(`${url}/healthz`).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    url,
    port,
    errorLog: () => {
      try {
        return readFileSync(join(dir, 'error.log'), 'utf8');
      } catch {
        return '';
      }
    },
    async close() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT'); // graceful
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** deploy/nginx.conf, pointed at this test's ports and folders; every other setting as deployed. */
export function fromDeployConfig(text: string, at: { dir: string; port: number; upstreams: readonly number[] }): string {
  const server = /^(\s*)server cds:3000( [^;]*)?;$/m.exec(text);
  const listen = /^(\s*)listen 80;$/m;
  if (!server || !listen.test(text)) throw new Error('deploy/nginx.conf: expected "server cds:3000 ...;" and "listen 80;" lines');
  const { dir } = at;
  return [
    'daemon off;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    text
      .replace(/^worker_processes .*;$/m, 'worker_processes 1;')
      .replace(server[0], at.upstreams.map((p) => `${server[1]}server 127.0.0.1:${p}${server[2] ?? ''};`).join('\n'))
      .replace(listen, `$1listen 127.0.0.1:${at.port};`)
      .replace(/^http \{$/m, `http {\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/proxy;\n  uwsgi_temp_path ${dir}/proxy;\n  scgi_temp_path ${dir}/proxy;`),
  ].join('\n');
}
