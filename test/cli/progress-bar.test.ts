import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/progress-bar.js';

function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('the progress bar', () => {
  it('draws on a terminal and ends at 100 % on its own line', () => {
    const tty = stream(true);
    const bar = progressBar('reading', tty);
    bar.total(200);
    bar.add(50);
    bar.done();
    expect(tty.text).toMatch(/^\rreading \[\.{30}\]   0 %/);
    expect(tty.text).toMatch(/\rreading \[#{30}\] 100 %\n$/);
  });

  it('writes nothing when stderr is not a terminal (pipes, CI)', () => {
    const pipe = stream(false);
    const bar = progressBar('reading', pipe);
    bar.total(10);
    bar.add(10);
    bar.done();
    expect(pipe.text).toBe('');
  });
});
