import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { filter, Subject, type Observable } from 'rxjs';
import { InvalidatedCache } from '../database/invalidated-cache.js';
import { TableChanges } from '../database/table-changes.js';
import { identityKey, type User } from './actor.js';
import type { AgencyStanding } from './standing-rule.js';
import { StandingRepository } from './standing.repository.js';

const SUSPENDED = 'suspended';

/**
 * Whether an identity may act: suspended accounts (users.status) and agencies that are not active.
 * Both are read once per process and kept until their table changes (TableChanges: every process
 * hears a change when it commits), so a request pays no query. A newly suspended account is also
 * announced (`suspended`), so that its open streams and sockets end on every process.
 */
@Injectable()
export class Standing implements OnApplicationBootstrap {
  private readonly logger = new Logger(Standing.name);
  private readonly agencies: InvalidatedCache<AgencyStanding | null>;
  private readonly accounts: InvalidatedCache<ReadonlySet<string>>;
  private known: ReadonlySet<string> = new Set();
  private readonly newlySuspended = new Subject<string>();

  constructor(
    private readonly repository: StandingRepository,
    changes: TableChanges,
  ) {
    this.agencies = new InvalidatedCache(changes, ['agencies'], 10_000);
    this.accounts = new InvalidatedCache(changes, ['users'], 1);
    changes.watch(['users'], () => {
      this.suspendedAccounts().catch((error: unknown) =>
        this.logger.warn(`Could not read suspended accounts: ${String(error)}`),
      );
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.suspendedAccounts();
  }

  /** Emits (and completes nothing) when `user`'s account is suspended while it is connected. */
  suspended(user: User): Observable<string> {
    const key = identityKey(user);
    return this.newlySuspended.pipe(filter((suspended) => suspended === key));
  }

  async isSuspended(user: User): Promise<boolean> {
    return (await this.suspendedAccounts()).has(identityKey(user));
  }

  async agency(id: string): Promise<AgencyStanding | null> {
    const cached = this.agencies.get(id);
    if (cached !== undefined) return cached;
    return this.agencies.load(id, () => this.repository.agency(id));
  }

  /** The suspended identities (identityKey), kept until `users` changes; each one not suspended before is announced. */
  private async suspendedAccounts(): Promise<ReadonlySet<string>> {
    const cached = this.accounts.get(SUSPENDED);
    if (cached) return cached;
    const subs = await this.accounts.load(
      SUSPENDED,
      async () => new Set((await this.repository.suspended()).map((account) => identityKey(account))),
    );
    const before = this.known;
    this.known = subs;
    for (const sub of subs) if (!before.has(sub)) this.newlySuspended.next(sub);
    return subs;
  }
}
