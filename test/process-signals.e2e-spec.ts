import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../src/common/free-port.js';
import { waitFor } from './support/wait.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `npm start` as a process manager or a closing terminal treats it: a signal to npm's process, or a
 * kill -9 of the API, on an embedded PostgreSQL of the test's own.
 */
describe('Signals to npm start and its embedded PostgreSQL', () => {
  let root: string;
  let env: Record<string, string>;
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'car-rental-signals-'));
    await chmod(root, 0o755); // as root, PostgreSQL runs as "postgres" and must enter it
    env = {
      PATH: process.env.PATH!,
      LOG_LEVEL: 'info',
      PORT: String(await freePort()),
      EMBEDDED_PG_DIR: join(root, 'pg'),
      EMBEDDED_PG_PORT: String(await freePort()),
    };
  });
  afterAll(async () => {
    for (const child of started) child.kill('SIGKILL');
    const pid = await postmaster().catch(() => 0);
    if (pid && alive(pid)) process.kill(pid, 'SIGQUIT');
    await rm(root, { recursive: true, force: true });
  });

  /** Runs `npm start` without its build step (`npm test` built the API), and waits until it is ready. */
  const npmStart = async () => {
    const child = spawn('npm', ['start', '--ignore-scripts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => (output.includes('Car rental API ready') ? true : undefined), 60_000, 'the API to start');
    return { child, output: () => output };
  };
  const postmaster = async () =>
    Number((await readFile(join(env.EMBEDDED_PG_DIR, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const apiPid = (output: string) => Number(/"pid":(\d+)/.exec(output)![1]);
  const exited = (child: ChildProcess) => new Promise<void>((resolve) => child.once('exit', () => resolve()));

  it('stops the API and the PostgreSQL it started when npm gets SIGTERM', async () => {
    const { child, output } = await npmStart();
    const [api, database] = [apiPid(output()), await postmaster()];
    const gone = exited(child);
    child.kill('SIGTERM'); // to npm's own process
    await gone;
    await waitFor(() => (!alive(api) && !alive(database) ? true : undefined), 20_000, 'the API and PostgreSQL to stop');
  }, 90_000);

  it('adopts the PostgreSQL a killed API left running, and stops it when it stops', async () => {
    const first = await npmStart();
    const database = await postmaster();
    process.kill(apiPid(first.output()), 'SIGKILL');
    await exited(first.child);
    expect(alive(database)).toBe(true); // left behind
    const second = await npmStart();
    expect(second.output()).toContain('its process is gone, so this one stops it when it stops');
    const gone = exited(second.child);
    second.child.kill('SIGTERM');
    await gone;
    await waitFor(() => (!alive(database) ? true : undefined), 20_000, 'the adopted PostgreSQL to stop');
  }, 120_000);
});
