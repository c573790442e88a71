import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { audit } from '../audit/audit.js';
import { identityKey, isUser, type Actor, type User } from '../auth/actor.js';
import type { Page } from '../common/pagination.query.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { TableChanges } from '../database/table-changes.js';
import { Account } from './account.entity.js';
import { toAccountResponse, type AccountResponse, type UserSummaryResponse } from './account.response.js';
import type { AccountStatusDto, ListUsersQuery } from './dto/accounts.dto.js';

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

  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: TableChanges,
  ) {}

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

  /** The accounts (admin), newest seen first, with their bookings and reviews counted. */
  async list(query: ListUsersQuery): Promise<Page<UserSummaryResponse>> {
    const qb = this.accounts
      .createQueryBuilder('u')
      .addSelect(
        '(SELECT count(*) FROM bookings b WHERE b.renter_id = u.sub AND b.renter_account)::int',
        'booking_count',
      )
      .addSelect(
        '(SELECT count(*) FROM reviews r WHERE r.renter_id = u.sub AND r.booking_id IS NOT NULL)::int',
        'review_count',
      );
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.agencyId) qb.andWhere('u.agency_id = :agencyId', { agencyId: query.agencyId });
    if (query.status) qb.andWhere('u.status = :status', { status: query.status });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      qb.andWhere('(u.sub ILIKE :like OR u.name ILIKE :like OR u.email ILIKE :like)', { like });
    }
    const total = await qb.getCount();
    qb.orderBy('u.last_seen_at', 'DESC').addOrderBy('u.sub').limit(query.limit).offset(query.offset);
    const { entities, raw } = await qb.getRawAndEntities<{ booking_count: number; review_count: number }>();
    return {
      items: entities.map((account, index) => ({
        ...toAccountResponse(account),
        bookingCount: raw[index].booking_count,
        reviewCount: raw[index].review_count,
      })),
      total,
    };
  }

  /**
   * Suspends or reinstates an account (admin), in the audit trail. A suspended account gets 403 on
   * every request, and its streams and sockets end on every process (see Standing).
   */
  async setStatus(sub: string, dto: AccountStatusDto, actor: Actor): Promise<AccountResponse> {
    if (dto.status === 'suspended' && !dto.reason)
      throw new BadRequestException('reason is required to suspend an account');
    if (isUser(actor) && actor.sub === sub) throw new ConflictException('An admin cannot change their own account');
    const saved = await this.dataSource.transaction(async (manager) => {
      const account = await manager.findOne(Account, { where: { sub }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw new NotFoundException('User not found');
      if (account.status === dto.status) return account;
      const before = { status: account.status };
      account.status = dto.status;
      const updated = await manager.save(account);
      await audit(new AtomicWrite(), actor, {
        action: 'user.status',
        entityType: 'user',
        entityId: sub,
        before,
        after: { status: updated.status },
        reason: dto.reason,
      }).run(manager);
      return updated;
    });
    this.changes.committed('users');
    return toAccountResponse(saved);
  }
}
