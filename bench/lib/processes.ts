/**
 * Servers in their own processes on 127.0.0.1, so the load generator (this process) and the server under test each
 * have a core. Output goes to files in the run's temporary directory, not through pipes this process would have to
 * drain while it generates load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { call } from './load.js';
import { PROJECT_ROOT } from './patients.js';

export interface Spawned {
  readonly name: string;
  readonly port: number;
  readonly base: string;
  readonly child: ChildProcess;
  /** performance.now() just before spawn. */
  readonly spawnedAt: number;
  readonly logFile: string;
  rssMb(): number;
  peakRssMb(): number;
  /** CPU time (user + system) the process has used so far, in ms (10 ms resolution). */
  cpuMs(): number;
  /** The same for its main thread alone (the event loop): the rest is worker threads and V8's helpers. */
  mainThreadCpuMs(): number;
  /** The process and its direct children (node:cluster workers), in ms; exited children are not counted. */
  treeCpuMs(): number;
  stop(): Promise<void>;
}

/** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS = 100;

/**
 * The fields of a /proc stat file from the 3rd on (state, ppid, ...; index = field number - 3): the command name
 * before them is in parentheses and may hold spaces.
 */
export function procStatFields(statFile: string): string[] {
  const stat = readFileSync(statFile, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of a /proc stat file (the 14th and 15th fields), in ms. */
function cpuOf(statFile: string): number {
  const fields = procStatFields(statFile);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** The node options `npm run start:prod` runs the service with (package.json), e.g. ['--single-threaded-gc']. */
export function startProdNodeOptions(): string[] {
  const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = (scripts['start:prod'] ?? '').split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('dist/main.js'));
}

/** Pids whose parent is `pid` (from /proc/<pid>/stat's 4th field). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      return Number(procStatFields(`/proc/${d}/stat`)[1]) === pid ? [Number(d)] : [];
    } catch {
      return []; // exited while we looked
    }
  });
}

function treeCpuOf(pid: number): number {
  return [pid, ...childrenOf(pid)].reduce((sum, p) => {
    try {
      return sum + cpuOf(`/proc/${p}/stat`);
    } catch {
      return sum;
    }
  }, 0);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnOptions {
  readonly name: string;
  /** Arguments to `node`, e.g. ['--import', 'tsx', 'src/main.ts'] or ['dist/main.js']. */
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly dir: string;
  readonly port?: number;
}

export async function spawnServer(options: SpawnOptions): Promise<Spawned> {
  const port = options.port ?? (await freePort());
  const logFile = join(options.dir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...options.args], {
    cwd: PROJECT_ROOT,
    // Only what the server needs: no inherited NODE_ENV or LOG_LEVEL from the shell changes a run.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1',
      // Production requires the public URL (the JWT aud); here it is the address the bench calls.
      ...(options.env.NODE_ENV === 'production' ? { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } : {}), ...options.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  const status = (field: 'VmRSS' | 'VmHWM'): number => {
    const text = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? Number.NaN);
    return Math.round((kb / 1024) * 10) / 10;
  };
  return {
    name: options.name,
    port,
    base: `http://127.0.0.1:${port}`,
    child,
    spawnedAt,
    logFile,
    rssMb: () => status('VmRSS'),
    cpuMs: () => cpuOf(`/proc/${child.pid}/stat`),
    mainThreadCpuMs: () => cpuOf(`/proc/${child.pid}/task/${child.pid}/stat`),
    treeCpuMs: () => treeCpuOf(child.pid ?? 0),
    peakRssMb: () => status('VmHWM'),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/** Polls GET `path` until 200; throws with the server's log when it exits or does not answer in time. */
export async function waitForOk(server: Spawned, path = '/healthz', timeoutMs = 30_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`${server.name} exited (${server.child.exitCode}):\n${readFileSync(server.logFile, 'utf8').slice(-3000)}`);
    }
    try {
      const res = await call(`${server.base}${path}`, undefined, {}, undefined);
      if (res.status === 200) return performance.now() - server.spawnedAt;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${server.name} did not answer ${path} within ${timeoutMs} ms:\n${readFileSync(server.logFile, 'utf8').slice(-3000)}`);
}
