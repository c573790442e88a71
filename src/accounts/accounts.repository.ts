import { changeEmailChoices, type EmailChoicesDto } from '../notifications/email-choices.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { User } from '../access/actor.js';
import type { Page } from '../common/pagination.query.js';
import { Account } from './account.entity.js';
import type { ListUsersQuery } from './dto/accounts.dto.js';

export interface AccountWithCounts {
  account: Account;
  bookingCount: number;
  reviewCount: number;
}

/** The SQL of `users`: one row per identity (issuer and sub). */
@Injectable()
export class AccountsRepository {
  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  /** Creates or refreshes the row of `user`'s identity (the role and agency of the token seen last). */
  async upsert(user: User): Promise<void> {
    await this.accounts.query(
      `INSERT INTO users (issuer, sub, role, agency_id, name, email, token_locale) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (issuer, sub) DO UPDATE SET role = EXCLUDED.role, agency_id = EXCLUDED.agency_id,
         name = COALESCE(EXCLUDED.name, users.name), email = COALESCE(EXCLUDED.email, users.email),
         token_locale = COALESCE(EXCLUDED.token_locale, users.token_locale), last_seen_at = now()`,
      [user.issuer, user.sub, user.role, user.agencyId, user.name ?? null, user.email ?? null, user.locale ?? null],
    );
  }

  find(identity: Pick<User, 'issuer' | 'sub'>): Promise<Account | null> {
    return this.accounts.findOneBy({ issuer: identity.issuer, sub: identity.sub });
  }

  /** Sets the e-mail categories `change` names (account ones stay on), leaving the others as they are. */
  async changeEmailChoices(
    manager: EntityManager,
    identity: Pick<User, 'issuer' | 'sub'>,
    change: EmailChoicesDto,
  ): Promise<void> {
    await manager.query(
      `UPDATE users SET email_notifications = email_notifications || $3::jsonb WHERE issuer = $1 AND sub = $2`,
      [identity.issuer, identity.sub, JSON.stringify(changeEmailChoices({}, change))],
    );
  }

  /** The accounts with this sub (of `issuer` when given), locked for a change in `manager`'s transaction. */
  lockedBySub(manager: EntityManager, sub: string, issuer?: string): Promise<Account[]> {
    return manager.find(Account, {
      where: issuer === undefined ? { sub } : { sub, issuer },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Writes the profile fields given ('' clears one) of an identity's row. */
  async updateProfile(
    manager: EntityManager,
    identity: Pick<User, 'issuer' | 'sub'>,
    profile: Partial<Account>,
  ): Promise<void> {
    const fields = Object.fromEntries(
      Object.entries(profile).map(([key, value]) => [key, value === '' ? null : value]),
    );
    if (Object.keys(fields).length > 0)
      await manager.update(Account, { issuer: identity.issuer, sub: identity.sub }, fields);
  }

  /** The accounts with this sub (of `issuer` when given), with their bookings and reviews counted. */
  async withCounts(sub: string, issuer?: string): Promise<AccountWithCounts[]> {
    const qb = this.counted().where('u.sub = :sub', { sub });
    if (issuer !== undefined) qb.andWhere('u.issuer = :issuer', { issuer });
    return this.read(qb);
  }

  /** A page of accounts, newest seen first, with their bookings and reviews counted. */
  async list(query: ListUsersQuery): Promise<Page<AccountWithCounts>> {
    const qb = this.counted();
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.agencyId) qb.andWhere('u.agency_id = :agencyId', { agencyId: query.agencyId });
    if (query.status) qb.andWhere('u.status = :status', { status: query.status });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      qb.andWhere('(u.sub ILIKE :like OR u.name ILIKE :like OR u.email ILIKE :like)', { like });
    }
    const total = await qb.getCount();
    qb.orderBy('u.last_seen_at', 'DESC')
      .addOrderBy('u.sub')
      .addOrderBy('u.issuer')
      .limit(query.limit)
      .offset(query.offset);
    return { items: await this.read(qb), total };
  }

  /** Accounts with the bookings they made as renters and the reviews they wrote. */
  private counted(): SelectQueryBuilder<Account> {
    return this.accounts
      .createQueryBuilder('u')
      .addSelect(
        '(SELECT count(*) FROM bookings b WHERE b.renter_id = u.sub AND b.renter_account)::int',
        'booking_count',
      )
      .addSelect(
        '(SELECT count(*) FROM reviews r WHERE r.renter_id = u.sub AND r.booking_id IS NOT NULL)::int',
        'review_count',
      );
  }

  private async read(qb: SelectQueryBuilder<Account>): Promise<AccountWithCounts[]> {
    const { entities, raw } = await qb.getRawAndEntities<{ booking_count: number; review_count: number }>();
    return entities.map((account, index) => ({
      account,
      bookingCount: raw[index].booking_count,
      reviewCount: raw[index].review_count,
    }));
  }
}
