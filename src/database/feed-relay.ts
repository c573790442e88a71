import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PgBus } from './pg-bus.service.js';

/**
 * A table whose rows are delivered in order: writers insert them with `feed_seq` NULL, and the relay
 * stamps them, once committed, with the next value of the sequence `<table>_feed_seq`, then
 * NOTIFYs `channel` with the last value it stamped.
 */
export interface FeedTable {
  table: string;
  /** The column that says in which order the relay stamps rows it finds together (insertion order). */
  insertOrder: string;
  /** Where the relay announces what it stamped (see OrderedFeed). */
  channel: string;
}

/** A trigger announces new rows here (the payload is the table); every process's relay listens. */
const OUTBOX_CHANNEL = 'feed_outbox';
const RELAY_BATCH = 1000;
const RETRY_DELAY_MS = 1000;

interface Run {
  running: boolean;
  again: boolean;
  retry: NodeJS.Timeout | null;
}

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
export class FeedRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FeedRelay.name);
  private readonly feeds = new Map<string, FeedTable>();
  private readonly runs = new Map<string, Run>();
  private closed = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    bus: PgBus,
  ) {
    bus.subscribe(OUTBOX_CHANNEL, (table) => this.wake(table));
    bus.onReconnect(() => this.wakeAll());
  }

  /** Call in constructors, before the application starts. */
  register(feed: FeedTable): void {
    this.feeds.set(feed.table, feed);
    this.runs.set(feed.table, { running: false, again: false, retry: null });
  }

  /** Rows that a stopped process committed but no relay stamped yet. */
  onApplicationBootstrap(): void {
    this.wakeAll();
  }

  onApplicationShutdown(): void {
    this.closed = true;
    for (const run of this.runs.values()) if (run.retry) clearTimeout(run.retry);
  }

  private wakeAll(): void {
    for (const table of this.feeds.keys()) this.wake(table);
  }

  /** At most one run per table in this process; a wake during a run makes it go round once more. */
  private wake(table: string): void {
    const feed = this.feeds.get(table);
    const run = this.runs.get(table);
    if (!feed || !run || this.closed) return;
    if (run.running) {
      run.again = true;
      return;
    }
    run.running = true;
    void this.drain(feed, run).finally(() => (run.running = false));
  }

  private async drain(feed: FeedTable, run: Run): Promise<void> {
    try {
      // Announcements arrive in bursts (one socket read holds many): let the rest of this one in, so
      // that a single run stamps them all.
      await new Promise((resolve) => setImmediate(resolve));
      do {
        run.again = false;
        while ((await this.stamp(feed)) === RELAY_BATCH && !this.closed);
      } while (run.again && !this.closed);
    } catch (error) {
      run.again = false;
      if (this.closed) return;
      // The database is down or restarting: try again soon (a reconnect of the bus also wakes us).
      this.logger.warn(`Feed relay of ${feed.table} failed, retrying: ${String(error)}`);
      run.retry ??= setTimeout(() => {
        run.retry = null;
        this.wake(feed.table);
      }, RETRY_DELAY_MS).unref();
    }
  }

  /**
   * One relay run (the function `feed_relay`, see the AddFeedSequences migration): under the table's
   * advisory lock, the next committed, unstamped rows get the next feed_seq values in insertion order,
   * and the channel hears the last one when that commits. Returns how many rows it stamped.
   */
  private async stamp({ table, insertOrder, channel }: FeedTable): Promise<number> {
    const [{ stamped }] = await this.dataSource.query<{ stamped: number }[]>(
      'SELECT feed_relay($1, $2, $3, $4) AS stamped',
      [table, insertOrder, channel, RELAY_BATCH],
    );
    return stamped;
  }
}
