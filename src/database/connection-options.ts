import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from './migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface PoolSettings {
  poolSize?: number;
  /** Longest wait for a pooled or new connection: a request never hangs on a dead database. */
  connectTimeoutMs?: number;
  /** PostgreSQL cancels a statement that runs longer (no runaway query holds a connection). */
  statementTimeoutMs?: number;
  /** The role every connection acts as (`SET ROLE` at connection start); the connecting user's own when absent. */
  role?: string;
  /**
   * MAIL_DIGEST_MINUTES in seconds, as `app.mail_digest_seconds` on every connection: the trigger that
   * queues an e-mail holds it until the digest window of its address and category ends.
   */
  mailDigestSeconds?: number;
}

/** The role the API's connections act as, created by the AccessAndAudit migration: it owns nothing. */
export const APP_ROLE = 'car_rental_app';

/**
 * APP_ROLE when it exists and the user of `url` may act as it; undefined otherwise (a database
 * whose migrating user could not create roles: the API then runs as that user).
 */
export async function runtimeRole(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ usable: boolean }>(
      `SELECT CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $1)
                   THEN pg_has_role(current_user, $1, 'MEMBER') ELSE false END AS usable`,
      [APP_ROLE],
    );
    return rows[0].usable ? APP_ROLE : undefined;
  } finally {
    await client.end();
  }
}

/**
 * How the API connects (pool, time limits, role) and migrates: the options every DataSource is built
 * from. The entities are added by src/data-source.ts, which knows every feature.
 */
export function connectionOptions(
  url: string,
  { poolSize = 10, connectTimeoutMs = 2000, statementTimeoutMs = 10000, role, mailDigestSeconds }: PoolSettings = {},
): DataSourceOptions {
  const startup = [
    ...(role ? [`-c role=${role}`] : []),
    ...(mailDigestSeconds !== undefined ? [`-c app.mail_digest_seconds=${mailDigestSeconds}`] : []),
  ];
  return {
    type: 'postgres',
    url,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+; extensions are created by migrations only.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: {
      max: poolSize,
      application_name: 'car-rental-api',
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: statementTimeoutMs,
      // A transaction left open by a stuck client is ended by the server.
      idle_in_transaction_session_timeout: statementTimeoutMs * 3,
      // Notice a half-open connection (server gone without a FIN) instead of waiting on it forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10000,
      ...(startup.length > 0 ? { options: startup.join(' ') } : {}),
    },
  };
}
