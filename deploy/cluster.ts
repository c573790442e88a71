/**
 * npm run cluster: one embedded PostgreSQL (or DATABASE_URL), three API processes on it
 * (127.0.0.1:3001-3003) and HAProxy on port 3000 in front of them (deploy/haproxy.cfg).
 * Ctrl-C (or SIGTERM) stops all of them. Not part of npm test.
 *
 *   CLUSTER_PG_DIR=.data/cluster-postgres   data folder of the embedded server
 *   CLUSTER_PG_PORT=15433                    its port
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUrl } from '../src/config/environment.js';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { runMigrations } from '../src/database/migrate.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE_PORTS = [3001, 3002, 3003];
const BALANCER_PORT = 3000;
const log = (message: string) => console.log(`[cluster] ${message}`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, () => probe.close(() => done(true)));
  });
}

/** Starts `command`, prefixing each line it prints with `[name]`. */
function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .forEach((line) => console.log(`[${name}] ${line}`));
  child.stdout?.on('data', prefix);
  child.stderr?.on('data', prefix);
  return child;
}

async function waitReady(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`the node on port ${port} exited with code ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`the node on port ${port} was not ready within 60 s`);
}

async function main(): Promise<void> {
  if (spawnSync('haproxy', ['-v']).status !== 0) {
    console.error('HAProxy is not installed. On Debian or Ubuntu: apt-get update && apt-get install -y haproxy');
    process.exit(1);
  }
  for (const port of [BALANCER_PORT, ...NODE_PORTS]) {
    if (!(await portFree(port))) {
      console.error(`Port ${port} is in use: the cluster needs ports ${BALANCER_PORT} and ${NODE_PORTS.join(', ')}`);
      process.exit(1);
    }
  }

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

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('Stopping HAProxy and the API nodes');
    children.get('haproxy')?.kill('SIGTERM');
    const exits = [...children.values()]
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => new Promise((done) => child.once('exit', done)));
    for (const [name, child] of children) if (name !== 'haproxy') child.kill('SIGTERM');
    await Promise.race([Promise.all(exits), sleep(10_000)]);
    await database?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  NODE_PORTS.forEach((port, index) => {
    const name = `api${index + 1}`;
    const child = run(name, process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      TRUST_PROXY: 'loopback',
    });
    child.once('exit', (code, signal) => {
      if (!stopping) log(`${name} exited (${signal ?? `code ${code}`}); HAProxy routes around it`);
    });
    children.set(name, child);
  });
  await Promise.all(NODE_PORTS.map((port, index) => waitReady(port, children.get(`api${index + 1}`)!)));

  const haproxy = run('haproxy', 'haproxy', ['-db', '-f', join(projectRoot, 'deploy', 'haproxy.cfg')]);
  haproxy.once('exit', (code) => {
    if (!stopping) {
      log(`HAProxy exited (code ${code})`);
      void stop(1);
    }
  });
  children.set('haproxy', haproxy);
  await waitReady(BALANCER_PORT, haproxy);
  log(
    `Ready: http://localhost:${BALANCER_PORT} (HAProxy, round-robin) -> nodes on ${NODE_PORTS.join(', ')}; ` +
      `chat ws://localhost:${BALANCER_PORT}/ws/chat. Ctrl-C stops everything.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
