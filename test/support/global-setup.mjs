// Jest loads global setup outside its ESM/TypeScript pipeline, so this file is
// plain JavaScript over the compiled sources (`npm test` builds them first).
import { chmod, mkdtemp } from 'node:fs/promises';
import process from 'node:process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../dist/src/common/free-port.js';
import { EmbeddedPostgres } from '../../dist/src/database/embedded-postgres.js';
import { runMigrations } from '../../dist/src/database/migrate.js';

const TEMPLATE_DATABASE = 'car_rental_template';

/**
 * One real PostgreSQL for the whole run, in a fresh temporary folder; the
 * migrated schema becomes a template database that every test file copies.
 */
export default async function globalSetup() {
  const root = await mkdtemp(join(tmpdir(), 'car-rental-test-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as "postgres" and must enter it
  const server = await EmbeddedPostgres.start({
    dataDir: join(root, 'pgdata'),
    port: await freePort(),
    database: TEMPLATE_DATABASE,
  });
  await runMigrations(server.url);

  const admin = new pg.Client({ connectionString: server.url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query(`ALTER DATABASE ${TEMPLATE_DATABASE} WITH IS_TEMPLATE true`);
  await admin.end();

  process.env.TEST_POSTGRES_URL = server.url;
  process.env.TEST_TEMPLATE_DATABASE = TEMPLATE_DATABASE;
  globalThis.__TEST_POSTGRES__ = { server, root };
}
