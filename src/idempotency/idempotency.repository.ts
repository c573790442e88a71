import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository, type EntityManager } from 'typeorm';
import { IdempotencyKey } from './idempotency-key.entity.js';

/** How long a response is kept for retries (the IETF draft suggests at least 24 hours). */
export const IDEMPOTENCY_TTL_HOURS = 24;
/**
 * How long a claimed key stays "in progress" without an answer: a process that died while
 * running the request leaves a key that is free again after this (its write, uncommitted, is gone).
 */
export const IDEMPOTENCY_LEASE_SECONDS = 60;

/** The SQL of `idempotency_keys`. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>) {}

  /**
   * Claims `key` in one statement of its own (committed at once): true when this request may run.
   * A record that expired, or an answer-less claim whose lease ran out, counts as absent.
   */
  async claim(client: string, key: string, fingerprint: string): Promise<boolean> {
    const claimed = await this.keys.query<unknown[]>(
      `INSERT INTO idempotency_keys (client, key, fingerprint, lease_until)
       VALUES ($1, $2, $3, now() + make_interval(secs => $5))
       ON CONFLICT (client, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, body = NULL, created_at = now(),
             lease_until = EXCLUDED.lease_until
         WHERE idempotency_keys.created_at < now() - make_interval(hours => $4)
            OR (idempotency_keys.status_code IS NULL AND idempotency_keys.lease_until < now())
       RETURNING 1`,
      [client, key, fingerprint, IDEMPOTENCY_TTL_HOURS, IDEMPOTENCY_LEASE_SECONDS],
    );
    return claimed.length > 0;
  }

  find(client: string, key: string): Promise<IdempotencyKey | null> {
    return this.keys.findOneBy({ client, key });
  }

  /** Stores the answer, in `manager`'s transaction (the one of the write it answers), or as a statement of its own. */
  async answer(
    manager: EntityManager | undefined,
    client: string,
    key: string,
    statusCode: number,
    body: unknown,
  ): Promise<void> {
    await (manager ?? this.keys.manager).update(
      IdempotencyKey,
      { client, key },
      { statusCode, body: body as object, leaseUntil: null },
    );
  }

  /** Forgets an answer-less claim (the request failed in a way a retry may fix). */
  async release(client: string, key: string): Promise<void> {
    await this.keys.delete({ client, key, statusCode: IsNull() });
  }

  async removeExpired(): Promise<void> {
    await this.keys.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [
      IDEMPOTENCY_TTL_HOURS,
    ]);
  }
}
