import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/storage/sqlite-store.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'lbp-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract('SQLite', (options) => openSqliteStore(join(dir, 'contract.sqlite'), options));

describe('the SQLite store', () => {
  it('adopts a feedback database from before migrations, keeping its rows', async () => {
    const path = join(dir, 'legacy.sqlite');
    const legacy = new Database(path);
    // The schema as it was created before migrations existed (CREATE TABLE IF NOT EXISTS at every start).
    legacy.exec(`CREATE TABLE issued_card (uuid TEXT PRIMARY KEY, service_id TEXT NOT NULL, hook_instance TEXT NOT NULL,
      rule_id TEXT NOT NULL, indicator TEXT NOT NULL, issued_at TEXT NOT NULL);
      CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, service_id TEXT NOT NULL, card_uuid TEXT NOT NULL,
      outcome TEXT NOT NULL, outcome_timestamp TEXT NOT NULL, accepted_suggestions TEXT NOT NULL, override_system TEXT,
      override_code TEXT, override_display TEXT, received_at TEXT NOT NULL, UNIQUE (card_uuid, outcome, outcome_timestamp));
      INSERT INTO feedback (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions, received_at)
      VALUES ('lbp-patient-view', 'c', 'accepted', '2026-01-01T00:00:00Z', '[]', '2026-01-01T00:00:01Z');`);
    legacy.close();
    const store = await openSqliteStore(path);
    expect(await store.feedbackCount()).toBe(1);
    expect(await store.migrations()).toEqual([1, 2, 3]);
    expect(await store.rememberToken('k', 10, 1)).toBe(true);
    await store.close();
  });

  it('is shared safely by several processes on one file (WAL, busy timeout)', async () => {
    const path = join(dir, 'wal.sqlite');
    const store = await openSqliteStore(path);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await store.close();
  });
});
