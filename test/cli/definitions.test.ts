import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES_TABLE_END, RULES_TABLE_START, rulesTableMarkdown, withRulesTable } from '../../src/cli/definitions-markdown.js';
import { DEFAULT_COURSE_CONFIG, parseCourseConfig } from '../support/engine.js';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('the README rules table', () => {
  it('is the generated table of the shipped definitions (run: npm run cli -- definitions --readme)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.split(RULES_TABLE_START)).toHaveLength(2);
    expect(readme.split(RULES_TABLE_END)).toHaveLength(2);
    expect(withRulesTable(readme, rulesTableMarkdown(DEFAULT_COURSE_CONFIG))).toBe(readme);
  });

  it('states the active numbers of a configuration', () => {
    const table = rulesTableMarkdown(parseCourseConfig({ courses: { recurrent: { limits: { 'group-training-week': { max: 2 } } } } }));
    expect(table).toContain('0264 ≤ 2 per ISO week (`group-training-week`)');
  });
});
