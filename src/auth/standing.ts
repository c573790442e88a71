import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { filter, Subject, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { AgencyStatus } from '../agencies/agency.entity.js';
import { InvalidatedCache } from '../database/invalidated-cache.js';
import { TableChanges } from '../database/table-changes.js';

export interface AgencyStanding {
  status: AgencyStatus;
  reason: string | null;
}

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
    @InjectDataSource() private readonly dataSource: DataSource,
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

  /** Emits (and completes nothing) when `sub`'s account is suspended while it is connected. */
  suspended(sub: string): Observable<string> {
    return this.newlySuspended.pipe(filter((suspended) => suspended === sub));
  }

  async isSuspended(sub: string): Promise<boolean> {
    return (await this.suspendedAccounts()).has(sub);
  }

  async agency(id: string): Promise<AgencyStanding | null> {
    const cached = this.agencies.get(id);
    if (cached !== undefined) return cached;
    return this.agencies.load(id, async () => {
      const [row] = await this.dataSource.query<{ status: AgencyStatus; status_reason: string | null }[]>(
        'SELECT status, status_reason FROM agencies WHERE id = $1',
        [id],
      );
      return row ? { status: row.status, reason: row.status_reason } : null;
    });
  }

  /** The suspended subs, kept until `users` changes; each one not suspended before is announced. */
  private async suspendedAccounts(): Promise<ReadonlySet<string>> {
    const cached = this.accounts.get(SUSPENDED);
    if (cached) return cached;
    const subs = await this.accounts.load(SUSPENDED, async () => {
      const rows = await this.dataSource.query<{ sub: string }[]>(`SELECT sub FROM users WHERE status = 'suspended'`);
      return new Set(rows.map((row) => row.sub));
    });
    const before = this.known;
    this.known = subs;
    for (const sub of subs) if (!before.has(sub)) this.newlySuspended.next(sub);
    return subs;
  }
}
