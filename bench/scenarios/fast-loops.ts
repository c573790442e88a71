/**
 * What a developer waits for: `npm start` on an unchanged tree (its embedded PostgreSQL in a folder
 * of its own: the first start creates it, the second finds it), `npm run -s token`, and
 * `npm run test:unit`, each timed from the command to its answer (the ready line, the token, the exit).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/common/free-port.js';
import { fixed, logger, now, projectRoot } from '../harness/common.js';
import { stopChild } from '../harness/processes.js';

const log = logger('bench');
const READY = 'Car rental API ready';
const SECRET = 'bench-only-secret-of-at-least-32-characters';

export interface FastLoopsResult {
  firstStartSeconds: number;
  secondStartSeconds: number;
  tokenSeconds: number;
  unitTestSeconds: number;
}

/** Runs `npm …` in the project and resolves with the seconds until `done(output)` or its exit. */
function timeNpm(args: string[], env: NodeJS.ProcessEnv, done?: (output: string) => boolean): Promise<number> {
  const started = now();
  const child = spawn('npm', args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: 'pipe' });
  let output = '';
  return new Promise((resolve, reject) => {
    const check = (chunk: Buffer) => {
      output += chunk.toString();
      if (done?.(output)) {
        const seconds = (now() - started) / 1000;
        void stopChild(child, 'SIGINT').then(() => resolve(seconds));
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      if (done && !done(output)) {
        reject(new Error(`npm ${args.join(' ')} exited (${code}) before it was ready:\n${output}`));
      } else if (!done) {
        if (code === 0) resolve((now() - started) / 1000);
        else reject(new Error(`npm ${args.join(' ')} exited (${code}):\n${output}`));
      }
    });
  });
}

export async function benchFastLoops(): Promise<FastLoopsResult> {
  const root = await mkdtemp(join(tmpdir(), 'car-rental-start-'));
  try {
    const env = {
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      EMBEDDED_PG_DIR: join(root, 'pg'),
      LOG_FORMAT: 'json',
    };
    const ready = (output: string) => output.includes(READY);
    log('npm start: first start (a new embedded PostgreSQL), then a second on the unchanged tree');
    const firstStartSeconds = await timeNpm(['start'], env, ready);
    const secondStartSeconds = await timeNpm(['start'], env, ready);
    log('npm run -s token, then npm run test:unit');
    const tokenSeconds = await timeNpm(['run', '-s', 'token', '--', '--role', 'admin'], { AUTH_JWT_SECRET: SECRET });
    const unitTestSeconds = await timeNpm(['run', 'test:unit'], {});
    return { firstStartSeconds, secondStartSeconds, tokenSeconds, unitTestSeconds };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export function fastLoopsRows(loops: FastLoopsResult): string[][] {
  const seconds = (value: number) => `${fixed(value, 2)} s`;
  return [
    ['npm start, second start (unchanged tree) to ready', seconds(loops.secondStartSeconds), '', '', '<= 3 s'],
    ['npm start, first start (new embedded PostgreSQL)', seconds(loops.firstStartSeconds), '', '', ''],
    ['npm run -s token (unchanged tree)', seconds(loops.tokenSeconds), '', '', '<= 1 s'],
    ['npm run test:unit, wall time', seconds(loops.unitTestSeconds), '', '', '<= 20 s'],
  ];
}
