import 'reflect-metadata';
import { createServer } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { pino } from 'pino';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { openLogOutput } from './common/log-output.js';
import { authMode, loadEnvironment, redactUrl } from './config/environment.js';
import { runMigrations } from './database/migrate.js';
import { openDatabase } from './database/open-database.js';
import { demoTokenCommands, seedDemoData } from './demo/seed.js';

async function bootstrap(): Promise<void> {
  const env = loadEnvironment();
  // The application's own log output, before the application exists.
  const output = await openLogOutput(env.LOG_FORMAT);
  const logger = pino({ level: env.LOG_LEVEL }, output.stream).child({ context: 'Bootstrap' });

  // Before touching the database: a taken port is the commonest start-up failure, and needs no migration.
  await assertPortFree(env.PORT, env.HOST);
  const database = await openDatabase(env, (message) => logger.info(message));
  logger.info(env.DATABASE_URL ? 'Using the database at DATABASE_URL' : 'Embedded PostgreSQL is ready');
  const applied = await runMigrations(database.url);
  logger.info(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  const tokenMode = authMode(env) === 'token';
  if (env.SEED_DEMO) {
    logger.info(await seedDemoData(database.url, { twoAgencies: tokenMode }));
    if (tokenMode) for (const line of await demoTokenCommands(database.url)) logger.info(line);
  }
  if (!tokenMode) {
    logger.warn(
      env.ALLOW_REMOTE_WITHOUT_AUTH
        ? 'Open mode with ALLOW_REMOTE_WITHOUT_AUTH=true: anyone who can reach this port may do anything. Set AUTH_JWT_SECRET or AUTH_JWKS_URL.'
        : 'Open mode: no authentication, so only local clients are answered. Set AUTH_JWT_SECRET or AUTH_JWKS_URL to turn tokens on.',
    );
  }

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ DATABASE_URL: database.url }), {
    bufferLogs: true,
  });
  configureApp(app);
  // SIGTERM/SIGINT: Nest ends SSE streams and sockets (1001), closes the HTTP server and the pool,
  // then exits; the embedded PostgreSQL, if we started it, gets its fast-shutdown signal on exit.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => logger.info(`${signal} received: closing streams and sockets, finishing requests`));
  }
  process.once('exit', (code) => {
    logger.info(`Stopped (exit code ${code})`);
    output.flush();
  });
  await app.listen(env.PORT, env.HOST);
  const prefix = env.API_PREFIX ? `/${env.API_PREFIX}` : '';
  logger.info(
    `Car rental API ready on http://localhost:${env.PORT}${prefix} (docs: ${prefix}/docs, chat: ws://localhost:${env.PORT}/ws/chat)`,
  );
}

bootstrap().catch((error: unknown) => {
  console.error(redactUrl(error instanceof Error ? error.message : String(error)));
  process.exit(1);
});

/** Fails with what to do when PORT is taken, instead of a raw EADDRINUSE stack after the migrations. */
function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} is in use: set PORT to a free port (another API instance may be running)`
            : `Cannot listen on ${host}:${port} (${error.code ?? error.message}): check HOST and PORT`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
