/**
 * `npm run seed:scale -- --agencies 200 --cars 20000 --bookings 1000000` (these are the defaults):
 * bulk-loads a realistic data set into an empty database (embedded unless DATABASE_URL is set).
 */
import { parseArgs } from 'node:util';
import { loadEnvironment } from '../config/environment.js';
import { runMigrations } from './migrate.js';
import { openDatabase } from './open-database.js';
import { DEFAULT_SCALE, seedScale, type ScaleSize } from './seed-scale.js';

function size(): ScaleSize {
  const { values } = parseArgs({
    options: {
      agencies: { type: 'string', default: String(DEFAULT_SCALE.agencies) },
      cars: { type: 'string', default: String(DEFAULT_SCALE.cars) },
      bookings: { type: 'string', default: String(DEFAULT_SCALE.bookings) },
    },
  });
  const parsed = {} as ScaleSize;
  for (const name of ['agencies', 'cars', 'bookings'] as const) {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of at least 1`);
    parsed[name] = value;
  }
  return parsed;
}

const log = (message: string) => console.log(`[seed:scale] ${message}`);
try {
  const wanted = size();
  const database = await openDatabase(loadEnvironment(), log);
  try {
    await runMigrations(database.url);
    log(`Loading ${wanted.agencies} agencies, ${wanted.cars} cars, ${wanted.bookings} bookings`);
    await seedScale(database.url, wanted, log);
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(`[seed:scale] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
