import type { ChildProcess } from 'node:child_process';

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

/**
 * A service started as a child process: its stdout's JSON log lines, collected as they come (plain-text lines such
 * as the development banner are skipped), and its exit. `exited` waits for 'close', not 'exit': a process's last
 * lines (pino flushes its buffer as the process exits) can still be in the pipe when 'exit' fires.
 */
export function watchService(child: ChildProcess): { logs: Array<Record<string, any>>; exited: Promise<ExitStatus> } {
  const logs: Array<Record<string, any>> = [];
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        /* plain text */
      }
    }
  });
  const exited = new Promise<ExitStatus>((resolve) => child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })));
  return { logs, exited };
}
