import { randomUUID } from 'node:crypto';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { openLogOutput } from './common/log-output.js';
import { AccessModule } from './access/access.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { AdminModule } from './admin/admin.module.js';
import { AgenciesModule } from './agencies/agencies.module.js';
import { AuditModule } from './audit/audit.module.js';
import { ComplaintsModule } from './complaints/complaints.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BookingsModule } from './bookings/bookings.module.js';
import { CarsModule } from './cars/cars.module.js';
import { ChatModule } from './chat/chat.module.js';
import { KnownQueryGuard } from './common/known-query.guard.js';
import { redactAccessToken } from './auth/bearer-token.js';
import { validateEnvironment, type Environment } from './config/environment.js';
import { dataSourceOptions } from './data-source.js';
import { runtimeRole } from './database/connection-options.js';
import { DatabaseModule } from './database/database.module.js';
import { FavoritesModule } from './favorites/favorites.module.js';
import { FilesModule } from './files/files.module.js';
import { DocumentsModule } from './documents/documents.module.js';
import { MailModule } from './mail/mail.module.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { LimitsModule } from './limits/limits.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { ReviewsModule } from './reviews/reviews.module.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

@Module({})
export class AppModule {
  /**
   * `overrides` win over process.env and .env: main.ts passes the embedded
   * database's URL, tests pass their own database and settings.
   */
  static forRoot(overrides: Record<string, string> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          validate: (raw) => validateEnvironment({ ...raw, ...overrides }),
        }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: async (config: ConfigService<Environment, true>) => ({
            // Long-lived streams are not request/response pairs: a per-request logger would be held
            // (with its async context) for the stream's whole life. The notifications feed counts them.
            // /metrics is scraped every few seconds: it would drown the request log.
            exclude: [
              { method: RequestMethod.GET, path: 'notifications/sse' },
              { method: RequestMethod.GET, path: 'metrics' },
            ],
            pinoHttp: [
              {
                level: config.get('LOG_LEVEL', { infer: true }),
                genReqId: (request, response) => {
                  // The server names every request itself (the audit trail keeps that id); a client's
                  // own X-Request-Id, when short and plain, is echoed back and logged beside it.
                  const id = randomUUID();
                  const given = request.headers['x-request-id'];
                  const client = typeof given === 'string' && REQUEST_ID.test(given) ? given : undefined;
                  (request as { clientRequestId?: string }).clientRequestId = client;
                  response.setHeader('X-Request-Id', client ?? id);
                  return id;
                },
                // One short line per request: id, method, url, status, time.
                serializers: {
                  req: (request: {
                    id: string;
                    method: string;
                    url: string;
                    raw?: { ip?: string; clientRequestId?: string };
                  }) => ({
                    id: request.id,
                    clientId: request.raw?.clientRequestId,
                    method: request.method,
                    url: redactAccessToken(request.url),
                    ip: request.raw?.ip, // the forwarded address behind a trusted proxy (TRUST_PROXY)
                  }),
                  res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
                },
                customLogLevel: (_request, response, error) =>
                  error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
              },
              (await openLogOutput(config.get('LOG_FORMAT', { infer: true }))).stream,
            ],
          }),
        }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: async (config: ConfigService<Environment, true>) =>
            dataSourceOptions(config.get('DATABASE_URL', { infer: true }), {
              poolSize: config.get('DB_POOL_SIZE', { infer: true }),
              connectTimeoutMs: config.get('DB_CONNECT_TIMEOUT_MS', { infer: true }),
              statementTimeoutMs: config.get('DB_STATEMENT_TIMEOUT_MS', { infer: true }),
              // The API's requests act as a role that owns no table (migrations run as the owner).
              role: await runtimeRole(config.get('DATABASE_URL', { infer: true })),
              mailDigestSeconds: config.get('MAIL_DIGEST_MINUTES', { infer: true }) * 60,
            }),
        }),
        DatabaseModule,
        RealtimeModule,
        HealthModule,
        MetricsModule,
        LimitsModule,
        IdempotencyModule,
        AccessModule,
        AuthModule,
        AccountsModule,
        AgenciesModule,
        CarsModule,
        FavoritesModule,
        FilesModule,
        DocumentsModule,
        MailModule,
        BookingsModule,
        ReviewsModule,
        NotificationsModule,
        ChatModule,
        AuditModule,
        ComplaintsModule,
        AdminModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: KnownQueryGuard }],
    };
  }
}
