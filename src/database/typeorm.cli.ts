/**
 * Runs the TypeORM CLI (`migration:run`, `migration:revert`, `migration:show`,
 * `migration:generate <path>`) against DATABASE_URL, or, when it is not set,
 * against the embedded PostgreSQL that `npm start` uses.
 *
 *   npm run migration:run
 *   npm run migration:generate -- src/database/migrations/AddSomething
 *   npm run migration:create -- src/database/migrations/AddSomethingByHand
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadEnvironment } from '../config/environment.js';
import { openDatabase } from './open-database.js';

const [command, ...rest] = process.argv.slice(2);
if (!command) {
  console.error(
    'usage: typeorm.cli.js <migration:run|migration:revert|migration:show|migration:generate PATH|migration:create PATH>',
  );
  process.exit(2);
}

const cli = createRequire(import.meta.url).resolve('typeorm/cli.js');
if (command === 'migration:create') {
  // An empty migration to fill in by hand: no database needed.
  const result = spawnSync(process.execPath, [cli, command, ...rest], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const env = loadEnvironment();
const database = await openDatabase(env, (message) => console.log(message));
try {
  const dataSourceFile = fileURLToPath(new URL('../../ormconfig.js', import.meta.url));
  const args = [cli, command, ...rest, '-d', dataSourceFile];
  if (command === 'migration:generate') args.push('--pretty');
  const result = spawnSync(process.execPath, args, {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: database.url },
  });
  process.exitCode = result.status ?? 1;
} finally {
  await database.close();
}
