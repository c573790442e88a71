import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { IdempotencyKey } from './idempotency-key.entity.js';

/** How long a response is kept for retries (the IETF draft suggests at least 24 hours). */
export const IDEMPOTENCY_TTL_HOURS = 24;
const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

export type Claim =
  | { kind: 'first' }
  | { kind: 'replay'; statusCode: number; body: unknown }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

@Injectable()
export class IdempotencyService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyService.name);
  private cleanup: NodeJS.Timeout | null = null;

  constructor(@InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>) {}

  onModuleInit(): void {
    this.cleanup = setInterval(() => {
      this.removeExpired().catch((error: unknown) => this.logger.warn(`Idempotency cleanup failed: ${String(error)}`));
    }, CLEANUP_INTERVAL_MS);
    this.cleanup.unref();
  }

  onApplicationShutdown(): void {
    if (this.cleanup) clearInterval(this.cleanup);
  }

  /**
   * Claims `key` for this request in one statement, so that of concurrent
   * requests with one key exactly one runs. An expired record counts as absent.
   */
  async claim(client: string, key: string, fingerprint: string): Promise<Claim> {
    const claimed = await this.keys.query<unknown[]>(
      `INSERT INTO idempotency_keys (client, key, fingerprint) VALUES ($1, $2, $3)
       ON CONFLICT (client, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, body = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(hours => $4)
       RETURNING 1`,
      [client, key, fingerprint, IDEMPOTENCY_TTL_HOURS],
    );
    if (claimed.length > 0) return { kind: 'first' };
    const existing = await this.keys.findOneBy({ client, key });
    if (!existing) return this.claim(client, key, fingerprint); // expired and removed meanwhile
    if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (existing.statusCode === null) return { kind: 'in-progress' };
    return { kind: 'replay', statusCode: existing.statusCode, body: existing.body };
  }

  async complete(client: string, key: string, statusCode: number, body: unknown): Promise<void> {
    await this.keys.update({ client, key }, { statusCode, body: body as object });
  }

  /** The request failed in a way a retry may fix (a 5xx): forget the key so the retry runs. */
  async release(client: string, key: string): Promise<void> {
    await this.keys.delete({ client, key, statusCode: IsNull() });
  }

  private async removeExpired(): Promise<void> {
    await this.keys.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [
      IDEMPOTENCY_TTL_HOURS,
    ]);
  }
}
