import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '../src/common/free-port.js';
import { createTestDatabase } from './support/database.js';
import { signToken, TEST_SECRET } from './support/tokens.js';
import { waitFor } from './support/wait.js';

describe('Request logs', () => {
  it('never show a token, whatever the spelling of access_token', async () => {
    const port = await freePort();
    const api = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: String(port),
        DATABASE_URL: await createTestDatabase(),
        AUTH_JWT_SECRET: TEST_SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    api.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    api.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      await waitFor(() => (log.includes('Car rental API ready') ? true : undefined), 30_000, 'the API');
      const token = await signToken({ sub: 'admin-1', role: 'admin' });
      const base = `http://127.0.0.1:${port}`;
      for (const path of [
        `/cars?access_token=${token}`,
        `/cars?access%5Ftoken=${token}`,
        `/cars?limit=1&ACCESS%5FTOKEN=${token}`,
        `/notifications?%61ccess_token=${token}`,
      ]) {
        await fetch(`${base}${path}`);
      }
      await fetch(`${base}/cars`, { headers: { Authorization: `Bearer ${token}` } });
      await waitFor(() => ((log.match(/"url":"\/cars/g) ?? []).length >= 4 ? true : undefined), 5000, 'log lines');
      await waitFor(() => (log.includes('"url":"/notifications') ? true : undefined), 5000, 'the last line');
      for (const part of token.split('.')) expect(log).not.toContain(part);
      expect(log).toContain('"url":"/cars?access%5Ftoken=[redacted]"');
    } finally {
      api.kill('SIGTERM');
    }
  }, 60_000);
});
