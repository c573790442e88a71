import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/data-source.js';
import { runMigrations } from '../src/database/migrate.js';
import { createTestDatabase } from './support/database.js';
import { migrations } from '../src/database/migrations/index.js';

describe('Database schema', () => {
  let dataSource: DataSource;
  let url: string;

  beforeAll(async () => {
    url = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(url, { poolSize: 2 })).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  it('has an index for each list filter', async () => {
    const rows: { indexname: string }[] = await dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const names = rows.map((row) => row.indexname);
    expect(names).toEqual(
      expect.arrayContaining([
        'cars_lower_type_idx',
        'cars_lower_location_idx',
        'cars_available_idx',
        'bookings_dates_idx',
        'bookings_no_overlap',
      ]),
    );
    // The dashboard's location filter is served by the expression index.
    const runner = dataSource.createQueryRunner();
    await runner.query('SET enable_seqscan = off');
    const plan: { 'QUERY PLAN': string }[] = await runner.query(
      `EXPLAIN SELECT id FROM cars WHERE lower(location) = lower('Rabat') AND deleted_at IS NULL`,
    );
    await runner.release();
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('cars_lower_location_idx');
  });

  it('matches the entities exactly (migration:generate would find nothing)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has nothing left to migrate, and reverts and re-applies cleanly', async () => {
    expect(await runMigrations(url)).toEqual([]);
    for (let step = 0; step < migrations.length; step++) await dataSource.undoLastMigration();
    const tables = await dataSource.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
    );
    expect(tables[0].n).toBe(0);
    expect(await runMigrations(url)).toHaveLength(migrations.length);
  });
});
