import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
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
}
