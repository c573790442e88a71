import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SYSTEM } from '../access/actor.js';
import { auditContext } from '../audit/audit-context.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Environment } from '../config/environment.js';
import { Periodic } from '../common/periodic.js';
import { isDatabaseUnavailable } from '../database/availability.js';
import { TableChanges } from '../database/table-changes.js';
import { Transactions } from '../database/transactions.js';
import { BookingsRepository } from './bookings.repository.js';
import { BookingsService } from './bookings.service.js';

export const HOLD_EXPIRED = 'hold expired';
/** Expired holds cancelled per transaction. */
const BATCH = 100;

/**
 * Cancels the Pending bookings whose agency has not answered within BOOKING_HOLD_MINUTES: every
 * process looks every BOOKING_HOLD_CHECK_SECONDS, and each expired booking is taken by exactly one
 * of them (its row is locked FOR UPDATE SKIP LOCKED, and a row another process has just cancelled is
 * no longer Pending when re-read under the lock), then cancelled by `system` with reason
 * `hold expired` like any status change: history entry and both sides' notifications in the same
 * transaction. The deadline lives in the database (created_at), so a restart loses nothing.
 */
@Injectable()
export class BookingHolds implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BookingHolds.name);
  private readonly holdMinutes: number;
  private readonly periodic: Periodic;

  constructor(
    private readonly transactions: Transactions,
    private readonly repository: BookingsRepository,
    private readonly trail: AuditRepository,
    private readonly bookings: BookingsService,
    private readonly changes: TableChanges,
    config: ConfigService<Environment, true>,
  ) {
    this.holdMinutes = config.get('BOOKING_HOLD_MINUTES', { infer: true });
    this.periodic = new Periodic(config.get('BOOKING_HOLD_CHECK_SECONDS', { infer: true }) * 1000, () => this.check());
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  /** Stops looking, and lets a check under way finish while the database is still there. */
  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** Cancels every hold expired by now; returns how many this process cancelled. */
  async check(): Promise<number> {
    let cancelled = 0;
    try {
      let batch: number;
      do {
        batch = await this.expireBatch();
        cancelled += batch;
      } while (batch === BATCH && !this.periodic.stopped);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) this.logger.error(`Expiring holds failed: ${String(error)}`);
    }
    if (cancelled > 0) {
      this.changes.committed('bookings');
      this.logger.log(`Cancelled ${cancelled} booking(s) whose hold expired`);
    }
    return cancelled;
  }

  /** One batch, in one transaction, in the audit trail as the system's (a status change). */
  private expireBatch(): Promise<number> {
    const expire = async () => {
      const manager = this.transactions.manager;
      const holds = await this.repository.expiredHolds(manager, this.holdMinutes, BATCH);
      for (const booking of holds) {
        await this.bookings.apply(manager, booking, { status: 'Cancelled' }, SYSTEM, HOLD_EXPIRED);
      }
      return holds.length;
    };
    const context = { ...auditContext('booking.expire', SYSTEM), reason: HOLD_EXPIRED };
    return this.transactions.request(expire, { open: (manager) => this.trail.state(manager, context) });
  }
}
