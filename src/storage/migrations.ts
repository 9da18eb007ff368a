/**
 * The schema, as numbered migrations. Each runs once per database, at start-up, inside one transaction that also
 * records it in `schema_migrations`; instances starting together serialise on a lock (SQLite: BEGIN IMMEDIATE;
 * PostgreSQL: an advisory lock), so running them again is harmless. The first one uses IF NOT EXISTS so a feedback
 * database from before migrations is adopted as it is. Never edit a migration that has shipped: add the next one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'issued cards and feedback',
    sqlite: `
CREATE TABLE IF NOT EXISTS issued_card (
  uuid TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  hook_instance TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  indicator TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issued_card_rule ON issued_card(rule_id);
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id TEXT NOT NULL,
  card_uuid TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  outcome_timestamp TEXT NOT NULL,
  accepted_suggestions TEXT NOT NULL,
  override_system TEXT,
  override_code TEXT,
  override_display TEXT,
  received_at TEXT NOT NULL,
  -- the same item sent twice (a retry) is one item: same card, outcome and moment
  UNIQUE (card_uuid, outcome, outcome_timestamp)
);
CREATE INDEX IF NOT EXISTS feedback_card ON feedback(card_uuid);`,
    postgres: `
CREATE TABLE IF NOT EXISTS issued_card (
  uuid TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  hook_instance TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  indicator TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issued_card_rule ON issued_card(rule_id);
CREATE TABLE IF NOT EXISTS feedback (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_id TEXT NOT NULL,
  card_uuid TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  outcome_timestamp TEXT NOT NULL,
  accepted_suggestions TEXT NOT NULL,
  override_system TEXT,
  override_code TEXT,
  override_display TEXT,
  received_at TEXT NOT NULL,
  UNIQUE (card_uuid, outcome, outcome_timestamp)
);
CREATE INDEX IF NOT EXISTS feedback_card ON feedback(card_uuid);`,
  },
  {
    version: 2,
    name: 'JWT replay cache',
    // key: a hash of the issuer and the token's jti (never the token); expires_at: seconds since the epoch.
    sqlite: `
CREATE TABLE seen_token (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
CREATE INDEX seen_token_expiry ON seen_token(expires_at);`,
    postgres: `
CREATE TABLE seen_token (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
CREATE INDEX seen_token_expiry ON seen_token(expires_at);`,
  },
  {
    version: 3,
    name: 'service secrets',
    sqlite: `CREATE TABLE service_secret (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL);`,
    postgres: `CREATE TABLE service_secret (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL);`,
  },
];
