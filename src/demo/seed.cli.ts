/** `npm run seed`: loads the demo data into an empty database (embedded unless DATABASE_URL is set). */
import { authMode, loadEnvironment } from '../config/environment.js';
import { runMigrations } from '../database/migrate.js';
import { openDatabase } from '../database/open-database.js';
import { demoTokenCommands, seedDemoData } from './seed.js';

const env = loadEnvironment();
const database = await openDatabase(env, (message) => console.log(message));
try {
  await runMigrations(database.url);
  const tokenMode = authMode(env) === 'token';
  console.log(await seedDemoData(database.url, { twoAgencies: tokenMode }));
  if (tokenMode) console.log((await demoTokenCommands(database.url)).join('\n'));
} finally {
  await database.close();
}
