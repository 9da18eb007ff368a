import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPostgresStore } from '../../src/storage/postgres-store.js';
import { startPostgres, type RunningPostgres } from '../support/postgres.js';
import { storeContract } from './store-contract.js';

/** The same contract as the SQLite store, against a real PostgreSQL server started for this file. */
let server: RunningPostgres;
let url: string;
beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('contract');
});
afterAll(async () => {
  await server?.close();
});

storeContract('PostgreSQL', (options) => openPostgresStore(url, options));

describe('the PostgreSQL store', () => {
  it('runs the migrations of instances starting at the same moment once', async () => {
    const fresh = await server.createDatabase('race');
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(fresh)));
    const client = new pg.Client({ connectionString: fresh });
    await client.connect();
    const { rows } = await client.query('SELECT version, COUNT(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version');
    await client.end();
    expect(rows).toEqual([{ version: 1, n: 1 }, { version: 2, n: 1 }, { version: 3, n: 1 }]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('fails to open, rather than start without its store, when the database cannot be reached', async () => {
    await expect(openPostgresStore('postgres://cds@127.0.0.1:1/none', { statementTimeoutMs: 1000 })).rejects.toThrow();
  });
});
