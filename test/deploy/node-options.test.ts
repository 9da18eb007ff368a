import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProdNodeOptions } from '../../bench/lib/processes.js';
import { parseDockerfile, type Step } from './dockerfile.js';

/** The image and `npm run start:prod` run the service with the same node options (the bench measures the latter). */
const root = join(import.meta.dirname, '..', '..');

describe('node options in production', () => {
  it('are the same in the image CMD and in npm run start:prod', () => {
    const fromScript = startProdNodeOptions();
    const runtime = parseDockerfile(join(root, 'Dockerfile')).at(-1)!;
    const cmd = runtime.steps.find((s): s is Extract<Step, { kind: 'CMD' }> => s.kind === 'CMD')!.command;
    expect(cmd[0]).toBe('node');
    expect(cmd.at(-1)).toBe('dist/main.js');
    expect(cmd.slice(1, -1)).toEqual(fromScript);
    expect(fromScript.length).toBeGreaterThan(0);
  });
});
