import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { identityKey, type User } from '../auth/actor.js';
import { Account } from './account.entity.js';

/** How long an identity's `last_seen_at` may lag: it is written at most this often per process. */
const REFRESH_MS = 10 * 60 * 1000;
/** Identities remembered per process; the oldest is forgotten first (it is then written again on its next request). */
const REMEMBERED = 10_000;

/**
 * Keeps a `users` row per identity seen with a valid token: written when a token is first used on
 * this process, and refreshed at most every REFRESH_MS, so a request does not cost a write.
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);
  /** identityKey → when this process last wrote it. */
  private readonly written = new Map<string, number>();

  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  /**
   * Records that `user` made a request. The first time on this process it is awaited (the row exists
   * when the request goes on); later refreshes run alongside the request.
   */
  async seen(user: User): Promise<void> {
    const key = identityKey(user);
    const last = this.written.get(key);
    const now = Date.now();
    if (last !== undefined && now - last < REFRESH_MS) return;
    this.written.delete(key);
    this.written.set(key, now);
    if (this.written.size > REMEMBERED) this.written.delete(this.written.keys().next().value!);
    const write = this.upsert(user);
    if (last === undefined) await write;
    else
      write.catch((error: unknown) =>
        this.logger.warn(`Could not refresh the account of ${user.sub}: ${String(error)}`),
      );
  }

  private async upsert(user: User): Promise<void> {
    await this.accounts.query(
      `INSERT INTO users (sub, issuer, role, agency_id, name, email) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (sub) DO UPDATE SET issuer = EXCLUDED.issuer, role = EXCLUDED.role, agency_id = EXCLUDED.agency_id,
         name = COALESCE(EXCLUDED.name, users.name), email = COALESCE(EXCLUDED.email, users.email), last_seen_at = now()`,
      [user.sub, user.issuer, user.role, user.agencyId, user.name ?? null, user.email ?? null],
    );
  }

  async find(sub: string): Promise<Account | null> {
    return this.accounts.findOneBy({ sub });
  }
}
