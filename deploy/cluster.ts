/**
 * npm run cluster: one embedded PostgreSQL (or DATABASE_URL), three API processes on it
 * (127.0.0.1:3001-3003) and HAProxy on port 3000 in front of them (deploy/haproxy.cfg).
 * Ctrl-C (or SIGTERM) stops all of them. Not part of npm test.
 *
 *   CLUSTER_PG_DIR=.data/cluster-postgres   data folder of the embedded server
 *   CLUSTER_PG_PORT=15433                    its port
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUrl } from '../src/config/environment.js';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { runMigrations } from '../src/database/migrate.js';
import { BALANCER_PORT, Cluster, NODE_PORTS } from './cluster-runner.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (message: string) => console.log(`[cluster] ${message}`);

async function main(): Promise<void> {
  await Cluster.preflight();
  let database: EmbeddedPostgres | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    database = await EmbeddedPostgres.start({
      dataDir: process.env.CLUSTER_PG_DIR ?? join(projectRoot, '.data', 'cluster-postgres'),
      port: Number(process.env.CLUSTER_PG_PORT ?? 15433),
      database: 'car_rental',
      log,
    });
    url = database.url;
  }
  log(`PostgreSQL: ${redactUrl(url)}`);
  log(`Migrations applied: ${(await runMigrations(url)).join(', ') || 'none pending'}`);

  let stopping = false;
  let cluster: Cluster | null = null;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('Stopping HAProxy and the API nodes');
    await cluster?.stop();
    await database?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  cluster = await Cluster.start({
    databaseUrl: url,
    print: console.log,
    requestLog: true,
    onUnexpectedExit: (name, how) => {
      if (name === 'haproxy') {
        log(`HAProxy exited (${how})`);
        void stop(1);
      } else log(`${name} exited (${how}); HAProxy routes around it`);
    },
  });
  log(
    `Ready: http://localhost:${BALANCER_PORT} (HAProxy, round-robin) -> nodes on ${NODE_PORTS.join(', ')}; ` +
      `chat ws://localhost:${BALANCER_PORT}/ws/chat. Ctrl-C stops everything.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
