/** The real API, built exactly as main.ts builds it, in its own process. */
import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { serveCoordinator } from './child.js';

const app = await NestFactory.create(
  // Load generators open thousands of streams and write hundreds of times a second from one address.
  AppModule.forRoot({
    DATABASE_URL: process.env.DATABASE_URL!,
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    RATE_LIMITS: 'off',
    // Each booking round books a year of its own, up to nine years ahead.
    MAX_BOOKING_ADVANCE_DAYS: '3650',
    // The token-mode scenario compares the same work with identity on.
    ...(process.env.AUTH_JWT_SECRET ? { AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET } : {}),
  }),
  { logger: ['error'], forceCloseConnections: true },
);
configureApp(app);
await app.listen(0, '127.0.0.1');
serveCoordinator(((app.getHttpServer() as Server).address() as AddressInfo).port, () => app.close());
