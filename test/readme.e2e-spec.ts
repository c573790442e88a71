import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from './support/app.js';

const run = promisify(execFile);

/**
 * The README's examples as a newcomer runs them: every `bash` block after the two commands, pasted in
 * order into one shell, against a fresh API and database (its own, on the port the test app got).
 */
describe('README', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('runs its blocks in order, top to bottom, as written', async () => {
    const readme = await readFile('README.md', 'utf8');
    const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks[0]).toContain('npm install && npm start'); // the two commands: the suite itself runs the second
    const script = blocks.slice(1).join('\n').replace('API=http://localhost:3000', `API=${t.url}`);
    expect(script).toContain(`API=${t.url}`);
    const { stdout } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: process.cwd(),
      timeout: 60_000,
    });
    expect(stdout).toContain('Idempotent-Replayed: true');
    expect(stdout.match(/"success":true/g)).toHaveLength(3); // two read marks and the car's deletion
    expect(stdout).toMatch(/^id: \d+$/m); // the live feed answered
  }, 90_000);
});
