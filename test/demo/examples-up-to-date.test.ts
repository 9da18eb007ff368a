import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIR, buildExampleFiles } from '../../scripts/examples/build.js';
import { ROOT } from './demo-bundles.js';

describe('the generated example Bundles', () => {
  it('are the same on every run of the generator', () => {
    expect(buildExampleFiles()).toEqual(buildExampleFiles());
  });

  it('are committed exactly as the generator writes them (run `npx tsx scripts/build-examples.ts`)', () => {
    for (const file of buildExampleFiles()) {
      expect(readFileSync(join(ROOT, file.path), 'utf8'), file.path).toBe(file.content);
    }
  });

  it('leave no stale JSON file in the examples folder', () => {
    const generated = buildExampleFiles().map((f) => f.path).sort();
    const onDisk = readdirSync(join(ROOT, EXAMPLES_DIR)).filter((n) => n.endsWith('.json')).map((n) => `${EXAMPLES_DIR}/${n}`).sort();
    expect(onDisk).toEqual(generated);
  });
});
