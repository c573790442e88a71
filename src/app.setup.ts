import { Standing } from './access/standing.js';
import { DatabaseAvailability } from './database/availability.js';
import { ConfigService } from '@nestjs/config';
import { BadRequestException, ValidationPipe, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import proxyAddr from 'proxy-addr';
import helmet from 'helmet';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { OriginPolicy } from './auth/origins.js';
import { loopbackOnly } from './auth/remote-access.js';
import { TokenVerifier } from './auth/token-verifier.service.js';
import { ChatWsAdapter } from './chat/chat-ws.adapter.js';
import { chatUpgradeCheck } from './chat/upgrade.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { documentErrorBodies, ErrorResponse } from './common/error.response.js';
import { FrameworkQuietLogger } from './common/framework-quiet.logger.js';
import { configureHttpServer, requireJsonBodies } from './common/http-server.js';
import { InputSanityPipe } from './common/input-sanity.pipe.js';
import { isUploadPath } from './files/upload.guard.js';
import { trustProxyRule, trustProxySetting, type Environment } from './config/environment.js';
import { Lifecycle } from './health/lifecycle.service.js';
import { ClientLimits } from './limits/client-limits.service.js';
import { httpMetrics } from './metrics/http-metrics.middleware.js';
import { Metrics } from './metrics/metrics.service.js';
import { writeRateLimit } from './limits/write-rate-limit.js';

/**
 * Everything about the HTTP surface that main.ts and the e2e tests share:
 * pipes, filters, CORS, body limit, WebSocket adapter, OpenAPI.
 */
export function configureApp(app: INestApplication): void {
  const env = app.get<ConfigService<Environment, true>>(ConfigService);
  const express = app as NestExpressApplication;
  app.useLogger(new FrameworkQuietLogger(app.get(Logger)));
  app.flushLogs();
  const prefix = env.get('API_PREFIX', { infer: true }).replace(/^\/+|\/+$/g, '');
  app.use(httpMetrics(app.get(Metrics), `${prefix ? `/${prefix}` : ''}/notifications/sse`));
  configureHttpServer(app.getHttpServer() as Server, {
    HTTP_KEEPALIVE_TIMEOUT_MS: env.get('HTTP_KEEPALIVE_TIMEOUT_MS', { infer: true }),
    HTTP_HEADERS_TIMEOUT_MS: env.get('HTTP_HEADERS_TIMEOUT_MS', { infer: true }),
    HTTP_REQUEST_TIMEOUT_MS: env.get('HTTP_REQUEST_TIMEOUT_MS', { infer: true }),
  });
  const lifecycle = app.get(Lifecycle);
  app.use((_request: Request, response: Response, next: NextFunction) => {
    if (lifecycle.draining) response.setHeader('Connection', 'close');
    next();
  });
  // CORS first: every answer, the refusals of the middleware below included, carries its headers,
  // so that a browser can read them (and their Retry-After).
  const mode = app.get(TokenVerifier).mode;
  const origins = new OriginPolicy(env.get('CORS_ORIGINS', { infer: true }), mode);
  app.enableCors({
    origin: origins.cors,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: [
      'Content-Type',
      'Authorization',
      'Last-Event-ID',
      'X-Request-Id',
      'If-None-Match',
      'Idempotency-Key',
    ],
    exposedHeaders: ['X-Total-Count', 'X-Request-Id', 'ETag', 'Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  });
  if (mode === 'open') {
    // Being on this machine is open mode's only credential, and a browser on it runs any site's
    // pages: those get 403 unless CORS_ORIGINS names them.
    app.use(origins.refuseForeignPages);
    // Loopback clients only (like Redis's protected mode), unless told otherwise.
    if (!env.get('ALLOW_REMOTE_WITHOUT_AUTH', { infer: true })) app.use(loopbackOnly);
  }
  if (env.get('RATE_LIMITS', { infer: true }) === 'on') {
    app.use(writeRateLimit(env.get('RATE_LIMIT_WRITES', { infer: true })));
  }
  // JSON only: a plain HTML form on any web page could otherwise post bookings and reviews cross-site.
  app.use(requireJsonBodies(isUploadPath));
  express.useBodyParser('json', { limit: env.get('BODY_LIMIT', { infer: true }) });
  // Behind a load balancer the client's address (rate limits, logs) is the forwarded one, from trusted hops only.
  const trustProxy = trustProxySetting(env.get('TRUST_PROXY', { infer: true }));
  express.set('trust proxy', trustProxy);
  express.set('etag', 'strong');
  express.disable('x-powered-by');

  // An API: no HTML of its own to protect with a CSP (Swagger UI needs inline scripts),
  // and its responses are read cross-origin by the dashboard.
  app.use(helmet({ contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' } }));
  if (prefix) app.setGlobalPrefix(prefix);

  app.useGlobalPipes(
    new InputSanityPipe(),
    new ValidationPipe({
      whitelist: true, // strip `id` and other read-only fields the dashboard posts back
      forbidNonWhitelisted: false,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(errors.flatMap((error) => flattenConstraints(error))),
    }),
  );
  const availability = app.get(DatabaseAvailability);
  app.useGlobalFilters(new AllExceptionsFilter(() => availability.reachable()));
  // The same rule for WebSocket upgrades, which Express never sees: compiled as Express compiles it.
  const trust = trustProxyRule(trustProxy);
  const clientAddress = (request: IncomingMessage) => proxyAddr(request, trust);
  app.useWebSocketAdapter(
    new ChatWsAdapter(
      app,
      env.get('CHAT_MAX_FRAME_BYTES', { infer: true }),
      app.get(ClientLimits),
      clientAddress,
      chatUpgradeCheck(app.get(TokenVerifier), app.get(Standing), {
        allowRemote: env.get('ALLOW_REMOTE_WITHOUT_AUTH', { infer: true }),
        origins,
        clientAddress,
      }),
    ),
  );

  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { useGlobalPrefix: true });
}

/** The OpenAPI document served at /docs-json, and committed as openapi.json (npm run openapi). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Car rental agency API')
      .setDescription(
        'REST API of the agency dashboard. Live notifications: GET /notifications/sse (Server-Sent Events). ' +
          'Chat: WebSocket /ws/chat with plain JSON ChatMessage frames {id, sender, content, timestamp}.',
      )
      .setVersion('1.0')
      .setLicense('UNLICENSED', 'https://choosealicense.com/no-permission/')
      .addServer('/', 'Wherever this API is served (add API_PREFIX when set)')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Token mode (AUTH_JWT_SECRET or AUTH_JWKS_URL): claims sub, role (admin, agency, renter), agency_id for an ' +
          'agency. Open mode needs none and answers loopback clients only.',
      })
      .build(),
    { extraModels: [ErrorResponse] },
  );
  // Answers any route may give, documented once here rather than on every handler.
  for (const [route, path] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(path) as [string, { responses: Record<string, object> }][]) {
      if (['post', 'put', 'patch', 'delete'].includes(method)) {
        operation.responses['429'] ??= { description: 'More than RATE_LIMIT_WRITES writes a minute from this client' };
      }
      operation.responses['400'] ??= { description: 'An unknown query parameter (the message names it)' };
      if (route !== '/metrics') {
        operation.responses['503'] ??= { description: 'Database unavailable, retry shortly (Retry-After)' };
      }
      if (!route.startsWith('/health')) {
        operation.responses['401'] ??= { description: 'Token mode: no token where one is needed, or an invalid one' };
        operation.responses['403'] ??= {
          description: 'Token mode: a role this operation does not let in. Open mode: a client that is not local',
        };
      }
    }
  }
  documentErrorBodies(document);
  // Operations without @ApiBearerAuth take a token or none (the public catalogue); health takes none.
  for (const [route, path] of Object.entries(document.paths)) {
    for (const operation of Object.values(path) as { security?: unknown[] }[])
      operation.security ??= route.startsWith('/health') ? [] : [{}, { bearer: [] }];
  }
  return document;
}

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

/** Of a field's failed rules, the most basic one speaks: "model must be a string", not its length. */
const RULE_PRIORITY = ['isDefined', 'isNotEmpty', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isEmail'];

/** One message per invalid field (nested fields named with their path). */
function flattenConstraints(error: ValidationErrorLike, path = ''): string[] {
  const property = path ? `${path}.${error.property}` : error.property;
  const constraints = error.constraints ?? {};
  const rule = RULE_PRIORITY.find((name) => name in constraints) ?? Object.keys(constraints)[0];
  const own = rule ? [path ? `${path}.${constraints[rule]}` : constraints[rule]] : [];
  return [...own, ...(error.children ?? []).flatMap((child) => flattenConstraints(child, property))];
}
