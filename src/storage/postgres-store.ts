import pg from 'pg';
import { createCardBatcher } from './card-batcher.js';
import { MIGRATIONS, MIGRATIONS_TABLE } from './migrations.js';
import { withRates, type IssuedCard, type OverrideReportRow, type RuleReportRow, type Store, type StoreOptions } from './store.js';

/**
 * The shared store: one PostgreSQL database for every instance (CDS_DATABASE_URL). Feedback and the replay cache
 * rely on the database's own atomicity (ON CONFLICT), never on a read-then-write, so two instances cannot both
 * store one item or both accept one token. Commits use PostgreSQL's default synchronous_commit = on: a 200 means
 * the row is on the database's disk.
 */

export interface PostgresStoreOptions extends StoreOptions {
  /** Connections per instance. */
  readonly poolSize?: number;
  /** A statement (or a wait for a connection) longer than this fails instead of holding the call. */
  readonly statementTimeoutMs?: number;
  /** An error on an idle connection (the database restarted): logged, never a crash. */
  readonly onPoolError?: (error: unknown) => void;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
/** pg_advisory_xact_lock key for migrations: any constant the deployment's other users of the database do not use. */
const MIGRATION_LOCK = 7_401_203;

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const timeout = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: timeout,
    statement_timeout: timeout,
    idleTimeoutMillis: 30_000,
    application_name: 'structured-course-cds',
  });
  pool.on('error', (error) => options.onPoolError?.(error));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const writeCards = async (rows: IssuedCard[]): Promise<void> => {
    // One statement per batch: the rows go as arrays, unnested by the server.
    await pool.query(
      `INSERT INTO issued_card (uuid, service_id, hook_instance, rule_id, indicator, issued_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (uuid) DO NOTHING`,
      [rows.map((r) => r.uuid), rows.map((r) => r.serviceId), rows.map((r) => r.hookInstance), rows.map((r) => r.ruleId),
        rows.map((r) => r.indicator), rows.map((r) => r.issuedAt)],
    );
  };
  const batcher = createCardBatcher(writeCards, options);
  let closed = false;

  return {
    kind: 'postgres',
    recordCards: (cards) => batcher.add(cards),
    flush: () => batcher.flush(),
    async recordFeedback(items, receivedAt) {
      await batcher.flush();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        let stored = 0;
        for (const item of items) {
          const result = await client.query(
            `INSERT INTO feedback (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions,
               override_system, override_code, override_display, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (card_uuid, outcome, outcome_timestamp) DO NOTHING`,
            [item.serviceId, item.cardUuid, item.outcome, item.outcomeTimestamp, JSON.stringify(item.acceptedSuggestions),
              item.overrideReasonSystem ?? null, item.overrideReasonCode ?? null, item.overrideReasonDisplay ?? null, receivedAt],
          );
          stored += result.rowCount ?? 0;
        }
        await client.query('COMMIT');
        return { stored, duplicates: items.length - stored };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async reportByRule() {
      await batcher.flush();
      const { rows } = await pool.query<Omit<RuleReportRow, 'acceptanceRate' | 'overrideRate'>>(`
        SELECT c.rule_id AS "ruleId",
               COUNT(DISTINCT c.uuid)::int AS issued,
               COUNT(DISTINCT f.card_uuid)::int AS "withFeedback",
               COUNT(DISTINCT CASE WHEN f.outcome = 'accepted' THEN f.card_uuid END)::int AS accepted,
               COUNT(DISTINCT CASE WHEN f.outcome = 'overridden' THEN f.card_uuid END)::int AS overridden
          FROM issued_card c LEFT JOIN feedback f ON f.card_uuid = c.uuid
         GROUP BY c.rule_id ORDER BY c.rule_id COLLATE "C"`);
      return rows.map(withRates);
    },
    async reportOverrideReasons() {
      await batcher.flush();
      const { rows } = await pool.query<OverrideReportRow>(`
        SELECT COALESCE(c.rule_id, '(unknown card)') AS "ruleId",
               COALESCE(f.override_code, '(none given)') AS "reasonCode",
               COALESCE(MAX(f.override_display), '') AS "reasonDisplay",
               COUNT(*)::int AS count
          FROM feedback f LEFT JOIN issued_card c ON c.uuid = f.card_uuid
         WHERE f.outcome = 'overridden'
         GROUP BY 1, 2
         ORDER BY COALESCE(c.rule_id, '(unknown card)') COLLATE "C", count DESC, COALESCE(f.override_code, '(none given)') COLLATE "C"`);
      return rows;
    },
    async feedbackCount() {
      const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM feedback');
      return rows[0]!.n;
    },
    async rememberToken(key, expiresAtSec, nowSec) {
      const result = await pool.query(
        `INSERT INTO seen_token (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_token.expires_at < $3`,
        [key, Math.ceil(expiresAtSec), Math.floor(nowSec)],
      );
      return result.rowCount === 1;
    },
    async pruneTokens(nowSec) {
      const result = await pool.query('DELETE FROM seen_token WHERE expires_at < $1', [Math.floor(nowSec)]);
      return result.rowCount ?? 0;
    },
    async secret(name, create) {
      await pool.query('INSERT INTO service_secret (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
        [name, create(), new Date().toISOString()]);
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM service_secret WHERE name = $1', [name]);
      return rows[0]!.value;
    },
    async migrations() {
      const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      return rows.map((r) => r.version);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await batcher.close();
      } finally {
        await pool.end();
      }
    },
  };
}

/** Instances starting together take turns on an advisory lock; the second finds the migrations recorded. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(MIGRATIONS_TABLE);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.postgres);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [migration.version, migration.name, new Date().toISOString()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
