/**
 * The PostgreSQL a benchmark runs on: a throwaway embedded server in a temporary folder, or, when
 * DATABASE_URL is set, a database of its own on that server, dropped at the end (a benchmark never
 * touches real data).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/common/free-port.js';
import { EmbeddedPostgres, type EmbeddedPostgresOptions } from '../../src/database/embedded-postgres.js';
import { runMigrations } from '../../src/database/migrate.js';

export class BenchDatabase {
  private readonly siblings: BenchDatabase[] = [];

  private constructor(
    private server: EmbeddedPostgres | null,
    private readonly options: EmbeddedPostgresOptions | null,
    readonly url: string,
    private readonly dispose: () => Promise<void>,
  ) {}

  /** An embedded server (so it can be stopped and restarted), or a database on DATABASE_URL's server. */
  static async create(tag: string, { embedded = false } = {}): Promise<BenchDatabase> {
    const external = process.env.DATABASE_URL;
    const database =
      external && !embedded ? await BenchDatabase.onServer(external, tag) : await BenchDatabase.embedded(tag);
    await runMigrations(database.url);
    return database;
  }

  private static async embedded(tag: string): Promise<BenchDatabase> {
    const root = await mkdtemp(join(tmpdir(), `car-rental-${tag}-`));
    await chmod(root, 0o755); // as root, PostgreSQL runs as "postgres" and must enter it
    const options = { dataDir: join(root, 'pgdata'), port: await freePort(), database: tag.replace(/\W/g, '_') };
    const server = await EmbeddedPostgres.start(options);
    const database = new BenchDatabase(server, options, server.url, async () => {
      await database.server?.stop();
      await rm(root, { recursive: true, force: true });
    });
    return database;
  }

  private static async onServer(serverUrl: string, tag: string): Promise<BenchDatabase> {
    const name = `car_rental_${tag.replace(/\W/g, '_')}_${Date.now()}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return new BenchDatabase(null, null, url.toString(), () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }

  /** Fast shutdown of the embedded server (the fault benchmarks). */
  async stop(): Promise<void> {
    if (!this.server) throw new Error('only an embedded database can be stopped');
    await this.server.stop();
  }

  async start(): Promise<void> {
    if (!this.options) throw new Error('only an embedded database can be started');
    this.server = await EmbeddedPostgres.start(this.options);
  }

  /**
   * Another database on the same server, migrated to the same schema, dropped when this one is
   * closed: a bare baseline writes there, so that the API's listeners and relay never see (nor do
   * any work for) its writes. NOTIFY and LISTEN are per database.
   */
  async sibling(suffix: string): Promise<BenchDatabase> {
    const name = `${new URL(this.url).pathname.slice(1)}_${suffix}`;
    await this.query(`CREATE DATABASE ${name}`);
    const url = new URL(this.url);
    url.pathname = `/${name}`;
    const sibling = new BenchDatabase(null, null, url.toString(), async () => {
      await this.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
    this.siblings.push(sibling);
    await runMigrations(sibling.url);
    return sibling;
  }

  async close(): Promise<void> {
    for (const sibling of this.siblings.splice(0)) await sibling.close();
    await this.dispose();
  }

  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }
}
