import type { Environment } from '../config/environment.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

export interface OpenDatabase {
  url: string;
  /** Stops the embedded server when this process started it; no-op otherwise. */
  close(): Promise<void>;
}

/** DATABASE_URL when given; otherwise the embedded PostgreSQL, started (or reused) now. */
export async function openDatabase(env: Environment, log: (message: string) => void): Promise<OpenDatabase> {
  if (env.DATABASE_URL) {
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
