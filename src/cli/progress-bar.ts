/** A one-line progress bar on a terminal (stderr); silent when stderr is not a TTY (pipes, CI, tests). */
export interface ProgressBar {
  total(n: number): void;
  add(n: number): void;
  done(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { total: () => {}, add: () => {}, done: () => {} };
  let total = 0;
  let value = 0;
  let last = 0;
  const width = 30;
  const draw = (force = false): void => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const share = total > 0 ? Math.min(1, value / total) : 0;
    const filled = Math.round(share * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)} %`);
  };
  return {
    total(n) {
      total = n;
      draw(true);
    },
    add(n) {
      value += n;
      draw();
    },
    done() {
      value = total;
      draw(true);
      stream.write('\n');
    },
  };
}
