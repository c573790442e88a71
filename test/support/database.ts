import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/common/free-port.js';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { runMigrations } from '../../src/database/migrate.js';

function serverUrl(database: string): string {
  const base = process.env.TEST_POSTGRES_URL;
  if (!base) throw new Error('TEST_POSTGRES_URL is not set: run the tests with npm test');
  return base.replace(/\/[^/]*$/, `/${database}`);
}

/** A new database with the migrated schema, for one test file (or two apps sharing it). */
export async function createTestDatabase(): Promise<string> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.TEST_TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  return serverUrl(name);
}

/**
 * Empties every table; refuses to run outside tests. Sequences go on counting
 * (notification ids only ever grow, as a running application assumes).
 */
export async function truncateAll(url: string): Promise<void> {
  if (process.env.NODE_ENV !== 'test') throw new Error('truncateAll only runs with NODE_ENV=test');
  await withClient(url, (client) =>
    client.query(
      'TRUNCATE cars, bookings, reviews, notifications, chat_messages, idempotency_keys, users, rollup_deltas, rollups CASCADE',
    ),
  );
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL server of a test's own (not the shared one), with the migrated
 * schema, that the test may stop and start again on the same port and data.
 */
export interface OwnServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  destroy(): Promise<void>;
}

export async function startOwnServer(): Promise<OwnServer> {
  const root = await mkdtemp(join(tmpdir(), 'car-rental-own-pg-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as "postgres" and must enter it
  const options = { dataDir: join(root, 'pgdata'), port: await freePort(), database: 'outage' };
  let server = await EmbeddedPostgres.start(options);
  await runMigrations(server.url);
  return {
    url: server.url,
    stop: () => server.stop(),
    start: async () => {
      server = await EmbeddedPostgres.start(options);
    },
    destroy: async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves once every stored notification has its place in delivery order and `position` (what the
 * app has delivered) has reached it: a stream opened now starts after all of them.
 */
export async function notificationsDelivered(url: string, position: () => bigint): Promise<void> {
  for (const deadline = Date.now() + 5000; ;) {
    const { rows } = await withClient(url, (client) =>
      client.query<{ pending: number; newest: string | null }>(
        'SELECT count(*) FILTER (WHERE feed_seq IS NULL)::int AS pending, max(feed_seq)::text AS newest FROM notifications',
      ),
    );
    if (rows[0].pending === 0 && BigInt(rows[0].newest ?? 0) <= position()) return;
    if (Date.now() > deadline) throw new Error('Timed out waiting for notifications to be delivered');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
