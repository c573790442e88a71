import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/data-source.js';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:*`). Those scripts go
 * through src/database/typeorm.cli.ts, which starts the embedded PostgreSQL and
 * sets DATABASE_URL when none is given.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('ormconfig.ts needs DATABASE_URL; use the npm run migration:* scripts, which provide it.');
}

export default new DataSource(dataSourceOptions(url));
