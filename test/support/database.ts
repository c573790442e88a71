import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEMPLATE_DATABASE = 'car_rental_template';

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
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
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
    client.query('TRUNCATE cars, bookings, reviews, notifications, chat_messages CASCADE'),
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
