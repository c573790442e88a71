import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from '@jest/globals';
import { prettyLogs } from '../src/common/log-output.js';
import { freePort } from '../src/common/free-port.js';
import { createTestDatabase } from './support/database.js';
import { waitFor } from './support/wait.js';

const READY = 'Car rental API ready on http://localhost:';
// eslint-disable-next-line no-control-regex -- the escape sequences of a terminal's colours
const ANSI = /\x1b\[[0-9;]*m/g;

/** The built API on a database of its own; `terminal`: on a pseudo-terminal (script(1)), as from a shell. */
async function startApi(env: Record<string, string>, { terminal }: { terminal: boolean }) {
  const port = await freePort();
  const settings = {
    PATH: process.env.PATH!,
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: await createTestDatabase(),
    ...env,
  };
  const command = `${process.execPath} dist/src/main.js`;
  // script keeps the API on a terminal while its own output goes to this pipe; stdin stays open for it.
  const child = terminal
    ? spawn('script', ['-qfec', command, '/dev/null'], { env: settings, detached: true, stdio: 'pipe' })
    : spawn(process.execPath, ['dist/src/main.js'], { env: settings, detached: true, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  running.push(child);
  await waitFor(() => (output.includes(READY) ? true : undefined), 30_000, 'the API to be ready');
  const lines = () =>
    output
      .replace(ANSI, '')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '');
  return { base: `http://127.0.0.1:${port}`, lines };
}

const running: ChildProcess[] = [];

describe('Log output', () => {
  afterEach(() => {
    // The whole group: script and the API under it.
    for (const child of running.splice(0)) if (child.pid) process.kill(-child.pid, 'SIGKILL');
  });

  it('is readable on a terminal and JSON anywhere else, unless LOG_FORMAT says which', () => {
    expect(prettyLogs('auto', true)).toBe(true);
    expect(prettyLogs('auto', false)).toBe(false);
    expect(prettyLogs('json', true)).toBe(false);
    expect(prettyLogs('pretty', false)).toBe(true);
  });

  it('on a terminal: one readable line per event, the start-up in a few lines, a request on one', async () => {
    const api = await startApi({ LOG_LEVEL: 'info' }, { terminal: true });
    const startUp = api.lines();
    const ready = startUp.findIndex((line) => line.includes(READY));
    expect(ready).toBeLessThan(25);
    expect(startUp[ready]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Car rental API ready on http:\/\/localhost:\d+ /);
    expect(startUp.some((line) => line.startsWith('{'))).toBe(false);
    expect(startUp.join('\n')).not.toMatch(/InstanceLoader|RouterExplorer|RoutesResolver/);

    await fetch(`${api.base}/cars?limit=5`);
    const request = await waitFor(
      () => api.lines().find((line) => line.includes('GET /cars?limit=5')),
      5000,
      'the request line',
    );
    expect(request).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/cars\?limit=5 200 \d+ ms$/);
  }, 60_000);

  it('not on a terminal: JSON lines, Nest’s module and route lines at debug, the ready line at info', async () => {
    const api = await startApi({ LOG_LEVEL: 'debug' }, { terminal: false });
    await fetch(`${api.base}/cars`);
    const entries = await waitFor(
      () => {
        const parsed = api.lines().map((line) => JSON.parse(line) as { level: number; msg: string; context?: string });
        return parsed.some((entry) => entry.msg === 'request completed') ? parsed : undefined;
      },
      5000,
      'the request line',
    );
    const framework = entries.filter((entry) => ['InstanceLoader', 'RouterExplorer'].includes(entry.context ?? ''));
    expect(framework.length).toBeGreaterThan(20);
    expect(new Set(framework.map((entry) => entry.level))).toEqual(new Set([20]));
    expect(entries.find((entry) => entry.msg.startsWith(READY))?.level).toBe(30);
  }, 60_000);

  it('keeps the start-up short at the default level', async () => {
    const api = await startApi({}, { terminal: false });
    const startUp = api.lines();
    expect(startUp.length).toBeLessThanOrEqual(25);
    expect(startUp.every((line) => !line.includes('"level":20'))).toBe(true);
  }, 60_000);
});
