import { Logger } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { CoalescedTask } from './coalesced-task.js';
import type { FeedRelay, FeedTable } from './feed-relay.js';
import type { PgBus } from './pg-bus.service.js';

/** Something delivered in feed order: `seq` is its feed_seq (see FeedRelay). */
export interface FeedItem {
  seq: bigint;
}

/** The next items of a feed after `seq`, oldest first, at most `limit`. */
export type ReadAfter<T extends FeedItem> = (seq: bigint, limit: number) => Promise<T[]>;

const BATCH = 500;

/**
 * One ordered feed of a table, for this process: an Observable of every item once, in seq order,
 * whatever happens to the connection that listens. It registers its table with the relay, whose
 * NOTIFY only says "there is something up to N"; the items themselves are read after the last one
 * delivered, so a lost LISTEN connection, a missed or duplicated NOTIFY, or a failed read only
 * delays delivery: the next announcement, the bus's reconnect or a retry reads from where
 * delivery stands.
 */
export class OrderedFeed<T extends FeedItem> {
  private readonly subject = new Subject<T>();
  /** Every item, in order, once; completes at shutdown. */
  readonly items: Observable<T> = this.subject.asObservable();
  private last = 0n;
  private readonly reader: CoalescedTask;

  constructor(
    bus: PgBus,
    private readonly relay: FeedRelay,
    private readonly table: FeedTable,
    private readonly after: ReadAfter<T>,
  ) {
    const logger = new Logger(`OrderedFeed(${table.table})`);
    this.reader = new CoalescedTask(
      () => this.readAll(),
      (error) => logger.warn(`Reading the feed failed, retrying: ${String(error)}`),
    );
    // What this process's relay stamped is read at once; the NOTIFY that follows finds it read.
    relay.register(table, () => this.reader.trigger());
    bus.subscribe(table.channel, (payload) => {
      if (/^\d{1,19}$/.test(payload) && BigInt(payload) > this.last) this.reader.trigger();
    });
    bus.onReconnect(() => this.reader.trigger());
  }

  /** The seq of the last item delivered: what a new subscriber has seen "up to now". */
  get position(): bigint {
    return this.last;
  }

  /** Starts after everything already stored (call once, before serving). */
  async start(): Promise<void> {
    const newest = await this.newest();
    if (newest > this.last) this.last = newest;
  }

  /** The newest seq stored, delivered here or not. */
  newest(): Promise<bigint> {
    return this.relay.newest(this.table);
  }

  close(): void {
    this.reader.close();
    this.subject.complete();
  }

  private async readAll(): Promise<void> {
    for (;;) {
      const batch = await this.after(this.last, BATCH);
      for (const item of batch) {
        if (item.seq <= this.last || this.reader.isClosed) continue;
        this.last = item.seq;
        this.subject.next(item);
      }
      if (batch.length < BATCH) return;
    }
  }
}
