import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { Metrics } from '../metrics/metrics.service.js';

/**
 * Publishes `payload` on `channel` from inside the writer's transaction (`manager`):
 * PostgreSQL delivers it to every listening process only if, and once, that commits.
 */
export async function publish(manager: EntityManager, channel: string, payload: string): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'car-rental-api:listener';

type Handler = (payload: string) => void;

/** Reconnect attempts stay frequent: SSE and chat are silent until the listener is back. */
const MAX_RECONNECT_DELAY_MS = 1000;

/** PostgreSQL's limit is 8000 bytes; stay below it. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7900;

/**
 * Fans events out to every API process through PostgreSQL LISTEN/NOTIFY
 * (writers call `publish` above). One dedicated connection
 * per process listens; it reconnects by itself when the database restarts and
 * then tells `onReconnect` subscribers, who catch up on what they missed.
 */
@Injectable()
export class PgBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PgBus.name);
  private readonly handlers = new Map<string, Handler[]>();
  private readonly reconnectHandlers: (() => void)[] = [];
  private client: pg.Client | null = null;
  private closing = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    metrics: Metrics,
  ) {
    metrics.gauge('pg_listener_up', 'Whether the LISTEN connection to PostgreSQL is up (1) or not (0)', () =>
      this.connected ? 1 : 0,
    );
  }

  /** Registers a handler; call it before the application starts (constructors). */
  subscribe(channel: string, handler: Handler): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  /** False while the listening connection is down (events may be missed until it is back). */
  get connected(): boolean {
    return this.client !== null;
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
    this.logger.log(`Listening on PostgreSQL channels: ${[...this.handlers.keys()].join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.get('DATABASE_URL', { infer: true }),
      application_name: LISTENER_APPLICATION_NAME,
    });
    client.on('notification', ({ channel, payload }) => {
      for (const handler of this.handlers.get(channel) ?? []) {
        try {
          handler(payload ?? '');
        } catch (error) {
          this.logger.error(`Handler for channel ${channel} failed: ${String(error)}`);
        }
      }
    });
    client.on('error', (error) => this.logger.warn(`Listening connection error: ${error.message}`));
    client.on('end', () => this.scheduleReconnect(client));
    await client.connect();
    for (const channel of this.handlers.keys()) {
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    }
    this.client = client;
  }

  private scheduleReconnect(lost: pg.Client, delayMs = 250): void {
    if (this.closing || this.client !== lost) return;
    this.client = null;
    this.logger.warn(`Listening connection lost; reconnecting in ${delayMs} ms`);
    this.retryTimer = setTimeout(() => {
      this.connect()
        .then(() => {
          this.logger.log('Listening connection restored');
          this.reconnectHandlers.forEach((handler) => handler());
        })
        .catch((error: Error) => {
          this.logger.warn(`Reconnect failed: ${error.message}`);
          this.client = lost;
          this.scheduleReconnect(lost, Math.min(delayMs * 2, MAX_RECONNECT_DELAY_MS));
        });
    }, delayMs);
    this.retryTimer.unref();
  }
}
