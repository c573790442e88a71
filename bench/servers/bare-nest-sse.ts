/**
 * The framework's floor for SSE fan-out: a bare NestJS app whose @Sse() route streams one shared
 * Subject, fed by the same durable work as bench/servers/bare-sse.ts (the review and its
 * notification INSERTed in one transaction with a NOTIFY, heard on a LISTEN connection), the event's
 * data serialized once and shared by every stream. No guard, no replay, no ordering: what is left is
 * what Nest's @Sse() pipeline costs per stream.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post, Sse, type MessageEvent } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Subject, type Observable } from 'rxjs';
import type { Server } from 'node:http';
import pg from 'pg';
import { serveCoordinator } from './child.js';
import { storeReview, type ReviewRequest } from './review-write.js';

const CHANNEL = 'bench_bare_nest_sse';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
const live = new Subject<MessageEvent>();

@Controller()
class BareController {
  @Sse('sse')
  stream(): Observable<MessageEvent> {
    return live;
  }

  @Post('reviews')
  @HttpCode(201)
  async review(@Body() input: ReviewRequest): Promise<void> {
    await storeReview(pool, input, CHANNEL, ({ id, data }) => JSON.stringify({ id, data: JSON.stringify(data) }));
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

const app = await NestFactory.create(BareModule, { logger: false, forceCloseConnections: true });
await listener.connect();
await listener.query(`LISTEN ${CHANNEL}`);
listener.on('notification', ({ payload }) => live.next(JSON.parse(payload!) as MessageEvent));
await app.listen(0, '127.0.0.1');
serveCoordinator(((app.getHttpServer() as Server).address() as { port: number }).port, () => app.close());
