import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { loadEnvironment } from './config/environment.js';
import { runMigrations } from './database/migrate.js';
import { openDatabase } from './database/open-database.js';
import { seedDemoData } from './database/seed.js';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Bootstrap');
  const env = loadEnvironment();

  const database = await openDatabase(env, (message) => logger.log(message));
  logger.log(env.DATABASE_URL ? 'Using the database at DATABASE_URL' : 'Embedded PostgreSQL is ready');
  const applied = await runMigrations(database.url);
  logger.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  if (env.SEED_DEMO) logger.log(await seedDemoData(database.url));

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ DATABASE_URL: database.url }), {
    bufferLogs: true,
  });
  configureApp(app);
  // SIGTERM/SIGINT: Nest ends SSE streams and sockets (1001), closes the HTTP server and the pool,
  // then exits; the embedded PostgreSQL, if we started it, gets its fast-shutdown signal on exit.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(env.PORT, env.HOST);
  const prefix = env.API_PREFIX ? `/${env.API_PREFIX}` : '';
  logger.log(
    `Car rental API ready on http://localhost:${env.PORT}${prefix} (docs: ${prefix}/docs, chat: ws://localhost:${env.PORT}/ws/chat)`,
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
