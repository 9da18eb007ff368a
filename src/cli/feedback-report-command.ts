import { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatFeedbackReport } from '../storage/feedback-report.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/store.js';

/**
 * `feedback-report`: acceptance and override rates per rule and override reason. A database that does not exist is
 * refused: opening it would create an empty one and print an empty table, which reads as "no feedback yet".
 */
export function feedbackReportCommand(projectRoot: string, env: NodeJS.ProcessEnv): Command {
  const fallback = resolve(projectRoot, env.CDS_FEEDBACK_DB ?? 'data/feedback.sqlite');
  return new Command('feedback-report')
    .description('acceptance and override rates per rule and override reason')
    .option('--db <path>', `feedback database (default: CDS_FEEDBACK_DB, else data/feedback.sqlite)`)
    .option('--database-url <url>', 'PostgreSQL URL of a shared store (default: CDS_DATABASE_URL)')
    .action(async (opts: { db?: string; databaseUrl?: string }, command: Command) => {
      const databaseUrl = opts.databaseUrl ?? env.CDS_DATABASE_URL;
      if (databaseUrl) {
        let shared: Store;
        try {
          shared = await openStore({ databaseUrl, sqlitePath: fallback });
        } catch (error) {
          command.error(`error: cannot open the PostgreSQL store (${(error as { code?: string }).code ?? (error as Error).name})`);
        }
        try {
          process.stdout.write(await formatFeedbackReport(shared));
        } finally {
          await shared.close();
        }
        return;
      }
      const path = opts.db ? resolve(opts.db) : fallback;
      if (!existsSync(path)) {
        command.error(`error: no feedback database at ${path}. The service creates it on its first start (CDS_FEEDBACK_DB, or feedbackDb in CDS_CONFIG, names it); check --db.`);
      }
      if (!statSync(path).isFile()) command.error(`error: ${path} is not a file; --db names the SQLite file`);
      let store: Store;
      try {
        store = await openStore({ sqlitePath: path });
      } catch (error) {
        command.error(`error: ${path} is not a feedback database (${(error as { code?: string }).code ?? (error as Error).name})`);
      }
      try {
        process.stdout.write(await formatFeedbackReport(store));
      } finally {
        await store.close();
      }
    });
}
