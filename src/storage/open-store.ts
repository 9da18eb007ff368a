import { openPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** PostgreSQL when a database URL is configured (several instances share it), else the embedded SQLite file. */
export function openStore(where: { databaseUrl?: string; sqlitePath: string }, options: PostgresStoreOptions = {}): Promise<Store> {
  return where.databaseUrl ? openPostgresStore(where.databaseUrl, options) : openSqliteStore(where.sqlitePath, options);
}
