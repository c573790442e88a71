import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.options.js';
import { runMigrations } from '../src/database/migrate.js';
import { createTestDatabase } from './support/database.js';

describe('Database schema', () => {
  let dataSource: DataSource;
  let url: string;

  beforeAll(async () => {
    url = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(url, 2)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  it('matches the entities exactly (migration:generate would find nothing)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has nothing left to migrate, and reverts and re-applies cleanly', async () => {
    expect(await runMigrations(url)).toEqual([]);
    await dataSource.undoLastMigration();
    const tables = await dataSource.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
    );
    expect(tables[0].n).toBe(0);
    expect(await runMigrations(url)).toHaveLength(1);
  });
});
