import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '../src/common/free-port.js';

/** Runs the built API (`npm test` builds it first) and returns how it ended. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const testDatabase = () => process.env.TEST_POSTGRES_URL!;

describe('Start-up errors say what to do', () => {
  it('names a taken PORT before touching the database', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    // An unreachable database: the port check must come first, so this is never tried.
    const { code, output } = await start({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none',
    });
    blocker.close();
    expect(code).toBe(1);
    expect(output).toContain(`Port ${port} is in use: set PORT`);
    expect(output).not.toContain('DATABASE_URL');
  });

  it('names DATABASE_URL when its server refuses, without printing the password', async () => {
    const { code, output } = await start({
      PORT: String(await freePort()),
      DATABASE_URL: `postgres://someone:s3cret@127.0.0.1:${await freePort()}/app`,
    });
    expect(code).toBe(1);
    expect(output).toMatch(/Cannot connect to DATABASE_URL \(postgres:\/\/someone:\*\*\*@127\.0\.0\.1:\d+\/app\)/);
    expect(output).toMatch(/check that the server is running/i);
    expect(output).not.toContain('s3cret');
  });

  it('says to check the password when the server rejects it', async () => {
    const url = testDatabase().replace(/\/\/([^:]+):[^@]+@/, '//$1:wrong-password@');
    const { code, output } = await start({ PORT: String(await freePort()), DATABASE_URL: url });
    expect(code).toBe(1);
    expect(output).toMatch(/check the user name and password/i);
    expect(output).not.toContain('wrong-password');
  });

  it('refuses a bad variable by name', async () => {
    const { code, output } = await start({ SEED_DEMO: 'maybe', CORS_ORIGINS: 'not a url' });
    expect(code).toBe(1);
    expect(output).toContain('SEED_DEMO="maybe"');
    expect(output).toContain('CORS_ORIGINS="not a url"');
  });

  it('refuses a TRUST_PROXY that is no address, subnet or hop count, in one line naming it', async () => {
    const { code, output } = await start({ PORT: String(await freePort()), TRUST_PROXY: 'banana' });
    expect(code).toBe(1);
    expect(output).toMatch(/TRUST_PROXY="banana": TRUST_PROXY must be true, false, a hop count/);
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });
});
