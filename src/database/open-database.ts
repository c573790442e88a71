import pg from 'pg';
import { redactUrl, type Environment } from '../config/environment.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

export interface OpenDatabase {
  url: string;
  /** Stops the embedded server when this process started it; no-op otherwise. */
  close(): Promise<void>;
}

/** DATABASE_URL when given; otherwise the embedded PostgreSQL, started (or reused) now. */
export async function openDatabase(env: Environment, log: (message: string) => void): Promise<OpenDatabase> {
  if (env.DATABASE_URL) {
    await checkConnection(env.DATABASE_URL);
    return { url: env.DATABASE_URL, close: () => Promise.resolve() };
  }
  const server = await EmbeddedPostgres.start({
    dataDir: env.EMBEDDED_PG_DIR,
    port: env.EMBEDDED_PG_PORT,
    database: 'car_rental',
    log,
  });
  return { url: server.url, close: () => server.stop() };
}

/** One connection attempt, so that a wrong DATABASE_URL fails with what to check rather than a bare socket error. */
async function checkConnection(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    const hint =
      code === '28P01' || code === '28000'
        ? 'check the user name and password in it'
        : code === '3D000'
          ? 'the database named in it does not exist: create it first'
          : 'check that the server is running and reachable at that host and port';
    throw new Error(
      `Cannot connect to DATABASE_URL (${redactUrl(url)}): ${message ?? code}. ${hint[0].toUpperCase()}${hint.slice(1)}.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
