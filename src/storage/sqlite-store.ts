import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCardBatcher } from './card-batcher.js';
import { MIGRATIONS, MIGRATIONS_TABLE } from './migrations.js';
import { withRates, type FeedbackRecord, type IssuedCard, type OverrideReportRow, type RuleReportRow, type Store, type StoreOptions } from './store.js';

/**
 * The embedded store: one SQLite file in WAL mode, safe for several processes on one host (CDS_WORKERS): writers
 * wait on each other (busy_timeout) instead of failing. better-sqlite3 is synchronous; the interface is async so
 * the PostgreSQL store can stand in its place.
 */

/** How long a writer waits for another process's transaction before giving up (SQLITE_BUSY). */
const BUSY_TIMEOUT_MS = 5_000;

export async function openSqliteStore(path: string, options: StoreOptions = {}): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  // Two durabilities on one connection. Feedback is committed with synchronous = FULL (see recordFeedback): an
  // acknowledged item survives a power cut. Issued cards and the replay cache are written with NORMAL, which in
  // WAL mode may lose the last few transactions to a power cut (never to a crash of the process) and never
  // corrupts. FULL's fsync on every hook call cost ~0.3 ms of CPU and more of waiting, per call (bench/README.md).
  db.pragma('synchronous = NORMAL');
  migrate(db);

  const insertCard = db.prepare(
    // ON CONFLICT, not OR IGNORE: only a duplicate is skipped; a row the schema refuses fails its batch.
    `INSERT INTO issued_card (uuid, service_id, hook_instance, rule_id, indicator, issued_at)
     VALUES (@uuid, @serviceId, @hookInstance, @ruleId, @indicator, @issuedAt) ON CONFLICT (uuid) DO NOTHING`,
  );
  const insertFeedback = db.prepare(
    `INSERT INTO feedback (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions,
       override_system, override_code, override_display, received_at)
     VALUES (@serviceId, @cardUuid, @outcome, @outcomeTimestamp, @acceptedSuggestions, @overrideReasonSystem,
       @overrideReasonCode, @overrideReasonDisplay, @receivedAt)
     ON CONFLICT (card_uuid, outcome, outcome_timestamp) DO NOTHING`,
  );
  const rememberToken = db.prepare(
    `INSERT INTO seen_token (key, expires_at) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_token.expires_at < ?`,
  );
  const pruneTokens = db.prepare('DELETE FROM seen_token WHERE expires_at < ?');
  const insertSecret = db.prepare('INSERT OR IGNORE INTO service_secret (name, value, created_at) VALUES (?, ?, ?)');
  const readSecret = db.prepare('SELECT value FROM service_secret WHERE name = ?');
  const recordCardsTx = db.transaction((cards: readonly IssuedCard[]) => {
    for (const card of cards) insertCard.run(card);
  });
  const recordFeedbackTx = db.transaction((items: readonly FeedbackRecord[], receivedAt: string) => {
    let stored = 0;
    for (const item of items) {
      stored += insertFeedback.run({
        serviceId: item.serviceId,
        cardUuid: item.cardUuid,
        outcome: item.outcome,
        outcomeTimestamp: item.outcomeTimestamp,
        acceptedSuggestions: JSON.stringify(item.acceptedSuggestions),
        overrideReasonSystem: item.overrideReasonSystem ?? null,
        overrideReasonCode: item.overrideReasonCode ?? null,
        overrideReasonDisplay: item.overrideReasonDisplay ?? null,
        receivedAt,
      }).changes;
    }
    return { stored, duplicates: items.length - stored };
  });
  const byRule = db.prepare(`
    SELECT c.rule_id AS ruleId,
           COUNT(DISTINCT c.uuid) AS issued,
           COUNT(DISTINCT f.card_uuid) AS withFeedback,
           COUNT(DISTINCT CASE WHEN f.outcome = 'accepted' THEN f.card_uuid END) AS accepted,
           COUNT(DISTINCT CASE WHEN f.outcome = 'overridden' THEN f.card_uuid END) AS overridden
      FROM issued_card c LEFT JOIN feedback f ON f.card_uuid = c.uuid
     GROUP BY c.rule_id ORDER BY c.rule_id`);
  const overrideReasons = db.prepare(`
    SELECT COALESCE(c.rule_id, '(unknown card)') AS ruleId,
           COALESCE(f.override_code, '(none given)') AS reasonCode,
           COALESCE(MAX(f.override_display), '') AS reasonDisplay,
           COUNT(*) AS count
      FROM feedback f LEFT JOIN issued_card c ON c.uuid = f.card_uuid
     WHERE f.outcome = 'overridden'
     GROUP BY 1, 2 ORDER BY 1, count DESC, 2`);
  const countFeedback = db.prepare('SELECT COUNT(*) AS n FROM feedback');
  const appliedMigrations = db.prepare('SELECT version FROM schema_migrations ORDER BY version');

  const batcher = createCardBatcher(async (rows) => {
    if (db.open) recordCardsTx(rows);
  }, options);

  return {
    kind: 'sqlite',
    recordCards: (cards) => batcher.add(cards),
    flush: () => batcher.flush(),
    async recordFeedback(items, receivedAt) {
      // Cards issued just before their feedback arrives are committed first (and with the feedback's fsync).
      await batcher.flush();
      db.pragma('synchronous = FULL');
      try {
        return recordFeedbackTx(items, receivedAt);
      } finally {
        db.pragma('synchronous = NORMAL');
      }
    },
    async reportByRule() {
      await batcher.flush();
      return (byRule.all() as Omit<RuleReportRow, 'acceptanceRate' | 'overrideRate'>[]).map(withRates);
    },
    async reportOverrideReasons() {
      await batcher.flush();
      return overrideReasons.all() as OverrideReportRow[];
    },
    feedbackCount: async () => (countFeedback.get() as { n: number }).n,
    rememberToken: async (key, expiresAtSec, nowSec) => rememberToken.run(key, expiresAtSec, nowSec).changes === 1,
    pruneTokens: async (nowSec) => pruneTokens.run(nowSec).changes,
    async secret(name, create) {
      insertSecret.run(name, create(), new Date().toISOString());
      return (readSecret.get(name) as { value: string }).value;
    },
    migrations: async () => (appliedMigrations.all() as { version: number }[]).map((r) => r.version),
    async close() {
      if (!db.open) return;
      try {
        await batcher.close();
      } finally {
        db.close();
      }
    },
  };
}

/** Applies the missing migrations in one write transaction: a second process starting at once waits, then finds them done. */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(MIGRATIONS_TABLE);
    const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sqlite);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
  }).immediate();
}
