import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { CarsListCache } from '../../src/cars/cars-list.cache.js';
import { createTestDatabase, truncateAll } from './database.js';
import { checkResponsesAgainstOpenApi } from './openapi-responses.js';
import { running } from './running-apps.js';

export interface TestApp {
  app: INestApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The real application, configured exactly as main.ts does, listening on a free
 * port over a real PostgreSQL database (a fresh one unless `databaseUrl` is given).
 */
export async function createTestApp(
  settings: Record<string, string> = {},
  databaseUrl?: string,
  { forceCloseConnections = true } = {},
): Promise<TestApp> {
  const url = databaseUrl ?? (await createTestDatabase());
  // @nestjs/config copies every validated variable (defaults and overrides too) into process.env;
  // restore it, or one app's settings would leak into every app created after it in this file.
  const environment = { ...process.env };
  const moduleRef = await Test.createTestingModule({
    // Rate limits are lifted unless a test is about them (it passes RATE_LIMITS: 'on').
    imports: [
      AppModule.forRoot({
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        RATE_LIMITS: 'off',
        // Without SMTP_URL e-mails are .eml files: out of the project's folder.
        MAIL_DIR: join(tmpdir(), 'car-rental-test-mail'),
        ...settings,
        DATABASE_URL: url,
      }),
    ],
  })
    .compile()
    .finally(() => {
      for (const key of Object.keys(process.env)) if (!(key in environment)) delete process.env[key];
      Object.assign(process.env, environment);
    });
  const app = moduleRef.createNestApplication({ forceCloseConnections, logger: ['fatal'] });
  // Before every other middleware: it sees every answer.
  app.use(checkResponsesAgainstOpenApi(settings.API_PREFIX));
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const handle: TestApp = {
    app,
    url: `http://127.0.0.1:${port}`,
    databaseUrl: url,
    close: async () => {
      if (running.delete(handle)) await app.close();
    },
  };
  running.add(handle);
  return handle;
}

/**
 * One application for the whole spec file, on its own database, emptied
 * before each test. The returned object is filled in by `beforeAll`.
 */
export function useTestApp(settings: Record<string, string> = {}): TestApp {
  const handle = {} as TestApp;
  beforeAll(async () => {
    Object.assign(handle, await createTestApp(settings));
  });
  afterAll(() => handle.close());
  beforeEach(async () => {
    await truncateAll(handle.databaseUrl);
    handle.app.get(CarsListCache).invalidate(); // what it cached belongs to the rows just removed
  });
  return handle;
}
