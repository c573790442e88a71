import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.options.js';
import { runMigrations } from '../src/database/migrate.js';
import { createTestDatabase } from './support/database.js';

describe('Database schema', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions(await createTestDatabase(), 2)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  it('matches the entities exactly (migration:generate would find nothing)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has nothing left to migrate, and reverts and re-applies cleanly', async () => {
    expect(await runMigrations(dataSource.options.url as string)).toEqual([]);
    await dataSource.undoLastMigration();
    const tables = await dataSource.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`);
    expect(tables[0].n).toBe(0);
    expect(await runMigrations(dataSource.options.url as string)).toHaveLength(1);
  });
});
