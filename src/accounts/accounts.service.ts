import { Injectable, Logger } from '@nestjs/common';
import { DocumentsService } from '../documents/documents.service.js';
import { identityKey, isUser, type Actor, type User } from '../access/actor.js';
import type { Page } from '../common/pagination.query.js';
import { TableChanges } from '../database/table-changes.js';
import { Transactions } from '../database/transactions.js';
import { toAccountResponse, type AccountResponse, type UserSummaryResponse } from './account.response.js';
import { AccountsRepository } from './accounts.repository.js';
import type { AccountStatusDto, ListUsersQuery, UpdateProfileDto } from './dto/accounts.dto.js';
import { Conflict, InvalidInput, NotFound } from '../common/domain-errors.js';

/** How long an identity's `last_seen_at` may lag: it is written at most this often per process. */
const REFRESH_MS = 10 * 60 * 1000;
/** Identities remembered per process; the oldest is forgotten first (it is then written again on its next request). */
const REMEMBERED = 10_000;

/**
 * Keeps a `users` row per identity (issuer and sub) seen with a valid token: written when a token is
 * first used on this process, and refreshed at most every REFRESH_MS, so a request does not cost a write.
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);
  /** identityKey → when this process last wrote it. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly transactions: Transactions,
    private readonly changes: TableChanges,
    private readonly documents: DocumentsService,
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
    const write = this.accounts.upsert(user);
    if (last === undefined) await write;
    else
      write.catch((error: unknown) =>
        this.logger.warn(`Could not refresh the account of ${user.sub}: ${String(error)}`),
      );
  }

  /** The account of the token presented, in the role and agency of that token (not of the token seen last). */
  async me(actor: Actor): Promise<AccountResponse> {
    const account = isUser(actor) ? await this.accounts.find(actor) : null;
    if (!isUser(actor) || !account) throw new NotFound('No account: open mode has no users');
    const verified = await this.documents.isVerified(this.transactions.manager, actor);
    return { ...toAccountResponse(account), role: actor.role, agencyId: actor.agencyId, verified };
  }

  /** The presenting user writes their own profile; the answer is /users/me's. */
  async updateMe(actor: Actor, dto: UpdateProfileDto): Promise<AccountResponse> {
    if (!isUser(actor)) throw new NotFound('No account: open mode has no users');
    const { emailNotifications, ...profile } = dto;
    await this.transactions.run(async (manager) => {
      await this.accounts.updateProfile(manager, actor, profile);
      if (emailNotifications) await this.accounts.changeEmailChoices(manager, actor, emailNotifications);
    });
    return this.me(actor);
  }

  /** One account (admin), with its bookings and reviews counted; `issuer` when several issuers share the sub. */
  async findBySub(sub: string, issuer: string | undefined): Promise<UserSummaryResponse> {
    const found = await this.accounts.withCounts(sub, issuer);
    if (found.length === 0) throw new NotFound('User not found');
    if (found.length > 1) throw new Conflict('Several issuers have an account with this sub: name the issuer');
    const [{ account, bookingCount, reviewCount }] = found;
    const verified = await this.documents.isVerified(this.transactions.manager, account);
    return { ...toAccountResponse(account), bookingCount, reviewCount, verified };
  }

  /** The accounts (admin), newest seen first, with their bookings and reviews counted. */
  async list(query: ListUsersQuery): Promise<Page<UserSummaryResponse>> {
    const { items, total } = await this.accounts.list(query);
    return {
      items: items.map(({ account, bookingCount, reviewCount }) => ({
        ...toAccountResponse(account),
        bookingCount,
        reviewCount,
      })),
      total,
    };
  }

  /**
   * Suspends or reinstates an account (admin). A suspended account gets 403 on every request, and
   * its streams and sockets end on every process (see Standing). `issuer` names the account when
   * identities of several issuers share the sub.
   */
  async setStatus(
    sub: string,
    issuer: string | undefined,
    dto: AccountStatusDto,
    actor: Actor,
  ): Promise<AccountResponse> {
    if (dto.status === 'suspended' && !dto.reason) throw new InvalidInput('reason is required to suspend an account');
    const saved = await this.transactions.run(async (manager) => {
      const found = await this.accounts.lockedBySub(manager, sub, issuer);
      if (found.length === 0) throw new NotFound('User not found');
      if (found.length > 1) throw new Conflict('Several issuers have an account with this sub: name the issuer');
      const [account] = found;
      if (isUser(actor) && identityKey(actor) === identityKey(account)) {
        throw new Conflict('An admin cannot change their own account');
      }
      if (account.status === dto.status) return account;
      account.status = dto.status;
      return manager.save(account);
    });
    this.changes.committed('users');
    return toAccountResponse(saved);
  }
}
