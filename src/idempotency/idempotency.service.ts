import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdempotencyRepository } from './idempotency.repository.js';

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

  constructor(private readonly keys: IdempotencyRepository) {}

  onModuleInit(): void {
    this.cleanup = setInterval(() => {
      this.keys
        .removeExpired()
        .catch((error: unknown) => this.logger.warn(`Idempotency cleanup failed: ${String(error)}`));
    }, CLEANUP_INTERVAL_MS);
    this.cleanup.unref();
  }

  onApplicationShutdown(): void {
    if (this.cleanup) clearInterval(this.cleanup);
  }

  /**
   * Claims `key` for this request in one statement, so that of concurrent requests with one key
   * exactly one runs; otherwise the stored record decides.
   */
  async claim(client: string, key: string, fingerprint: string): Promise<Claim> {
    if (await this.keys.claim(client, key, fingerprint)) return { kind: 'first' };
    const existing = await this.keys.find(client, key);
    if (!existing) return this.claim(client, key, fingerprint); // expired and removed meanwhile
    if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (existing.statusCode === null) return { kind: 'in-progress' };
    return { kind: 'replay', statusCode: existing.statusCode, body: existing.body };
  }

  /** Stores the answer in `manager`'s transaction (the write's own, for a success: both commit or neither), or alone. */
  complete(
    manager: EntityManager | undefined,
    client: string,
    key: string,
    statusCode: number,
    body: unknown,
  ): Promise<void> {
    return this.keys.answer(manager, client, key, statusCode, body);
  }

  /** The request failed in a way a retry may fix (a 5xx): forget the key so the retry runs. */
  release(client: string, key: string): Promise<void> {
    return this.keys.release(client, key);
  }
}
