/**
 * npm run openapi: writes the running application's OpenAPI document to openapi.json
 * (a test fails when the two differ). Uses DATABASE_URL, or the embedded server.
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp, openApiDocument } from './app.setup.js';
import { loadEnvironment } from './config/environment.js';
import { runMigrations } from './database/migrate.js';
import { openDatabase } from './database/open-database.js';

const env = loadEnvironment();
const database = await openDatabase(env, (message) => console.error(message));
try {
  await runMigrations(database.url);
  const app = await NestFactory.create(
    AppModule.forRoot({ DATABASE_URL: database.url, API_PREFIX: '', LOG_LEVEL: 'warn' }),
    { logger: ['error'] },
  );
  configureApp(app);
  await app.init();
  await writeFile('openapi.json', `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  console.error('Wrote openapi.json');
  await app.close();
} finally {
  await database.close();
}
