import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SYSTEM } from '../auth/actor.js';
import type { Environment } from '../config/environment.js';
import { isDatabaseUnavailable } from '../database/availability.js';
import { TableChanges } from '../database/table-changes.js';
import { Booking } from './booking.entity.js';
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
  private readonly everyMs: number;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bookings: BookingsService,
    private readonly changes: TableChanges,
    config: ConfigService<Environment, true>,
  ) {
    this.holdMinutes = config.get('BOOKING_HOLD_MINUTES', { infer: true });
    this.everyMs = config.get('BOOKING_HOLD_CHECK_SECONDS', { infer: true }) * 1000;
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  /** Stops looking, and lets a check under way finish while the database is still there. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.check().finally(() => this.schedule());
    }, this.everyMs);
    this.timer.unref();
  }

  /** Cancels every hold expired by now; returns how many this process cancelled. */
  async check(): Promise<number> {
    let cancelled = 0;
    try {
      let batch: number;
      do {
        batch = await this.expireBatch();
        cancelled += batch;
      } while (batch === BATCH && !this.stopped);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) this.logger.error(`Expiring holds failed: ${String(error)}`);
    }
    if (cancelled > 0) {
      this.changes.committed('bookings');
      this.logger.log(`Cancelled ${cancelled} booking(s) whose hold expired`);
    }
    return cancelled;
  }

  private expireBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const expired = await manager
        .createQueryBuilder(Booking, 'b')
        .where(`b.status = 'Pending' AND b.created_at <= now() - make_interval(mins => :minutes)`, {
          minutes: this.holdMinutes,
        })
        .orderBy('b.created_at')
        .limit(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const booking of expired) {
        await this.bookings.apply(manager, booking, { status: 'Cancelled' }, SYSTEM, HOLD_EXPIRED);
      }
      return expired.length;
    });
  }
}
