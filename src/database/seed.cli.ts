/** `npm run seed`: loads the demo data into an empty database (embedded unless DATABASE_URL is set). */
import { loadEnvironment } from '../config/environment.js';
import { runMigrations } from './migrate.js';
import { openDatabase } from './open-database.js';
import { seedDemoData } from './seed.js';

const env = loadEnvironment();
const database = await openDatabase(env, (message) => console.log(message));
try {
  await runMigrations(database.url);
  console.log(await seedDemoData(database.url));
} finally {
  await database.close();
}
