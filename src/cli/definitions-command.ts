import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { activeDefinitions } from '../course/definitions/active.js';
import { activePlanDefinition } from '../fhir/definitions/write-plan-definition.js';
import { rulesTableMarkdown, withRulesTable } from './definitions-markdown.js';

/**
 * `definitions`: the active course definitions (shipped and configured ones, CDS_CONFIG overrides applied), as a
 * Markdown rules table (default), as JSON, as PlanDefinitions written to a folder, or into the README's table.
 */
export function registerDefinitionsCommand(program: Command, projectRoot: string): void {
  program
    .command('definitions')
    .description('print or write the active course definitions (steps, limits, final due, follow-up, instruments)')
    .option('--config <file>', 'CDS_CONFIG file whose course overrides and definition folders apply')
    .option('--json', 'print the active definitions as JSON')
    .option('--out <dir>', 'write the active PlanDefinitions (FHIR JSON) into this folder')
    .option('--readme', 'write the rules table between the markers of README.md')
    .action((opts: { config?: string; json?: boolean; out?: string; readme?: boolean }) => {
      const env = { ...process.env, NODE_ENV: 'test', ...(opts.config ? { CDS_CONFIG: resolve(opts.config) } : {}) };
      let course;
      try {
        course = loadConfig(env, projectRoot).course;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 78;
        return;
      }
      if (opts.out) {
        mkdirSync(opts.out, { recursive: true });
        for (const c of course.definitions.courses.values()) {
          const plan = activePlanDefinition(c, course.definitions);
          if (!plan) continue;
          const file = join(opts.out, `PlanDefinition-${String(plan.id ?? c.type)}.json`);
          writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
          process.stdout.write(`wrote ${file}\n`);
        }
      }
      if (opts.readme) {
        const path = join(projectRoot, 'README.md');
        const next = withRulesTable(readFileSync(path, 'utf8'), rulesTableMarkdown(course));
        if (next === undefined) {
          process.stderr.write('README.md has no <!-- generated:rules-table --> ... <!-- /generated:rules-table --> markers\n');
          process.exitCode = 1;
          return;
        }
        writeFileSync(path, next);
        process.stdout.write(`wrote the rules table into ${path}\n`);
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(activeDefinitions(course), null, 2)}\n`);
      else if (!opts.out && !opts.readme) process.stdout.write(rulesTableMarkdown(course));
    });
}
