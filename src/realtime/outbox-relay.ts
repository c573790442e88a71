import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PgBus } from '../database/pg-bus.service.js';
import { CoalescedTask } from './coalesced-task.js';
import { OutboxRepository } from './outbox.repository.js';
import type { OutboxTable } from './outbox.js';

/** A trigger announces new rows here (the payload is the table); every process's relay listens. */
const OUTBOX_CHANNEL = 'feed_outbox';
const RELAY_BATCH = 1000;

/**
 * The transactional outbox's relay. Writers never wait for one another: they insert with `feed_seq`
 * NULL and commit. The relay runs in every process, woken by the NOTIFY a trigger sends with each
 * such commit (and after a lost listening connection, and at start-up); inside `feed_relay()` a
 * transaction-level advisory lock lets one run at a time per table, so `feed_seq` values are
 * stamped, committed and announced in one order. A reader that sees feed_seq N therefore already
 * sees every smaller one that will ever exist: replay after an id has no gap, and nothing that did
 * not commit is ever announced. A relay that dies mid-run rolls back and the next one stamps those
 * rows; the lock never blocks a writer.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  /** One relay task per table, at most one run at a time in this process. */
  private readonly tasks = new Map<string, CoalescedTask>();

  constructor(
    private readonly outbox: OutboxRepository,
    bus: PgBus,
  ) {
    bus.subscribe(OUTBOX_CHANNEL, (table) => this.tasks.get(table)?.trigger());
    bus.onReconnect(() => this.wakeAll());
  }

  /**
   * Call in constructors, before the application starts (OrderedFeed does). `stamped` runs after each
   * run that stamped rows: this process's reader need not wait for its own NOTIFY to come back.
   */
  register(feed: OutboxTable, stamped: () => void = () => undefined): void {
    const task: CoalescedTask = new CoalescedTask(
      async () => {
        // Announcements arrive in bursts (one socket read holds many): let the rest of this one in,
        // so that a single run stamps them all.
        await new Promise((resolve) => setImmediate(resolve));
        for (;;) {
          const count = await this.stamp(feed);
          if (count > 0) stamped();
          if (count < RELAY_BATCH || task.isClosed) return;
        }
      },
      (error) => this.logger.warn(`Feed relay of ${feed.table} failed, retrying: ${String(error)}`),
    );
    this.tasks.set(feed.table, task);
  }

  /** The newest feed_seq stamped in `feed`'s table (0 when none). */
  newest(feed: OutboxTable): Promise<bigint> {
    return this.outbox.newest(feed);
  }

  /** Rows that a stopped process committed but no relay stamped yet. */
  onApplicationBootstrap(): void {
    this.wakeAll();
  }

  onApplicationShutdown(): void {
    for (const task of this.tasks.values()) task.close();
  }

  private wakeAll(): void {
    for (const task of this.tasks.values()) task.trigger();
  }

  /** One relay run (the database's `feed_relay`). Returns how many rows it stamped. */
  private stamp(feed: OutboxTable): Promise<number> {
    return this.outbox.stamp(feed, RELAY_BATCH);
  }
}
