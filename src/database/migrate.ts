import pg from 'pg';
import { DataSource } from 'typeorm';
import { connectionOptions } from './connection-options.js';

const MIGRATION_LOCK = 0x6d696772; // "migr"

/**
 * Applies pending migrations. An advisory lock makes processes that start
 * together on one database take turns instead of racing. Returns the names applied.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const dataSource = new DataSource(connectionOptions(url, { poolSize: 2, statementTimeoutMs: 0 }));
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.end();
  }
}
