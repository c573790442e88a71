import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import pg from 'pg';
import type { Environment } from '../config/environment.js';
import { backoffMs } from './availability.js';

/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'car-rental-api:listener';

type Handler = (payload: string) => void;

/** A probe on the idle listening connection: a half-open connection (server gone, no FIN) is noticed. */
const PROBE_INTERVAL_MS = 5000;
const PROBE_TIMEOUT_MS = 3000;

/**
 * The listening connection's life:
 *   connecting → listening → (lost) → waiting → connecting → …   and, from any of them, closed.
 */
type ListenerState =
  | { name: 'connecting' }
  | { name: 'listening'; client: pg.Client; probe: NodeJS.Timeout }
  | { name: 'waiting'; timer: NodeJS.Timeout }
  | { name: 'closed' };

/**
 * Fans events out to every API process through PostgreSQL LISTEN/NOTIFY (the
 * tables' triggers and the outbox relay NOTIFY). One dedicated connection per process listens;
 * when it is lost (database restart, network, a failed probe) it is replaced,
 * retrying on the one back-off (`backoffMs`), and `onReconnect` subscribers catch
 * up on what they missed.
 */
@Injectable()
export class PgBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PgBus.name);
  private readonly handlers = new Map<string, Handler[]>();
  private readonly reconnectHandlers: (() => void)[] = [];
  private state: ListenerState = { name: 'connecting' };

  constructor(private readonly config: ConfigService<Environment, true>) {}

  /** Registers a handler; call it before the application starts (constructors). */
  subscribe(channel: string, handler: Handler): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  /** False while the listening connection is down (events may be missed until it is back). */
  get connected(): boolean {
    return this.state.name === 'listening';
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  /** The first connection must succeed: the application does not start without its bus. */
  async onModuleInit(): Promise<void> {
    this.listen(await this.connect());
    this.logger.log(`Listening on PostgreSQL channels: ${[...this.handlers.keys()].join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const previous = this.state;
    this.state = { name: 'closed' };
    if (previous.name === 'waiting') clearTimeout(previous.timer);
    if (previous.name === 'listening') {
      clearInterval(previous.probe);
      await previous.client.end().catch(() => undefined);
    }
  }

  /** A connected client with LISTEN on every channel; a client that fails half-way is ended, not leaked. */
  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.config.get('DATABASE_URL', { infer: true }),
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: this.config.get('DB_CONNECT_TIMEOUT_MS', { infer: true }),
    });
    client.on('error', (error) => this.logger.warn(`Listening connection error: ${error.message}`));
    // Before LISTEN, so nothing that arrives right after it is missed.
    client.on('notification', ({ channel, payload }) => this.dispatch(channel, payload ?? ''));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) {
        await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      }
      return client;
    } catch (error) {
      client.removeAllListeners('notification');
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private listen(client: pg.Client): void {
    if (this.state.name === 'closed') {
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      return;
    }
    client.once('end', () => this.lost(client, 'connection ended'));
    const probe = setInterval(() => this.probe(client), PROBE_INTERVAL_MS);
    probe.unref();
    this.state = { name: 'listening', client, probe };
  }

  private dispatch(channel: string, payload: string): void {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.logger.error(`Handler for channel ${channel} failed: ${String(error)}`);
      }
    }
  }

  /** `SELECT 1` with a deadline: no answer means the connection is gone even if no socket error says so. */
  private probe(client: pg.Client): void {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('no answer to the probe')), PROBE_TIMEOUT_MS);
    });
    Promise.race([client.query('SELECT 1'), deadline])
      .catch((error: Error) => this.lost(client, error.message))
      .finally(() => clearTimeout(timer));
  }

  /** The listening client is gone: drop it and schedule a new one (once per client). */
  private lost(client: pg.Client, reason: string): void {
    if (this.state.name !== 'listening' || this.state.client !== client) return;
    clearInterval(this.state.probe);
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    this.logger.warn(`Listening connection lost (${reason}); reconnecting`);
    this.retry(1);
  }

  private retry(attempt: number): void {
    const timer = setTimeout(() => void this.reconnect(attempt), backoffMs(attempt));
    timer.unref();
    this.state = { name: 'waiting', timer };
  }

  private async reconnect(attempt: number): Promise<void> {
    if (this.state.name !== 'waiting') return;
    this.state = { name: 'connecting' };
    try {
      this.listen(await this.connect());
    } catch (error) {
      if (this.state.name === 'connecting') {
        this.logger.warn(`Reconnect failed: ${(error as Error).message}`);
        this.retry(attempt + 1);
      }
      return;
    }
    if (!this.connected) return;
    this.logger.log('Listening connection restored');
    this.reconnectHandlers.forEach((handler) => handler());
  }
}
