import { Logger } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { PgBus } from './pg-bus.service.js';

/** Something delivered in feed order: `seq` is its feed_seq (see FeedRelay). */
export interface FeedItem {
  seq: bigint;
}

export interface FeedSource<T extends FeedItem> {
  /** The channel the relay announces this feed's newest seq on. */
  channel: string;
  /** The next items after `seq`, oldest first, at most `limit`. */
  after(seq: bigint, limit: number): Promise<T[]>;
  /** The newest seq stored (0 when none): where a new process starts. */
  newest(): Promise<bigint>;
}

const BATCH = 500;
const RETRY_DELAY_MS = 1000;

/**
 * One ordered feed of a table, for this process: an Observable of every item once, in seq order,
 * whatever happens to the connection that listens. The relay's NOTIFY only says "there is
 * something up to N"; the items themselves are read after the last one delivered, so a lost
 * LISTEN connection, a missed or duplicated NOTIFY, or a failed read only delays delivery: the
 * next announcement, the bus's reconnect or a retry reads from where delivery stands.
 */
export class OrderedFeed<T extends FeedItem> {
  private readonly logger: Logger;
  private readonly subject = new Subject<T>();
  /** Every item, in order, once; completes at shutdown. */
  readonly items: Observable<T> = this.subject.asObservable();
  private last = 0n;
  private reading = false;
  private again = false;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    bus: PgBus,
    private readonly source: FeedSource<T>,
  ) {
    this.logger = new Logger(`OrderedFeed(${source.channel})`);
    bus.subscribe(source.channel, (payload) => {
      if (/^\d{1,19}$/.test(payload) && BigInt(payload) > this.last) this.read();
    });
    bus.onReconnect(() => this.read());
  }

  /** The seq of the last item delivered: what a new subscriber has seen "up to now". */
  get position(): bigint {
    return this.last;
  }

  /** Starts after everything already stored (call once, before serving). */
  async start(): Promise<void> {
    const newest = await this.source.newest();
    if (newest > this.last) this.last = newest;
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.subject.complete();
  }

  /** One reader at a time; a call while reading makes it read once more. */
  private read(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    void this.readAll().finally(() => (this.reading = false));
  }

  private async readAll(): Promise<void> {
    try {
      do {
        this.again = false;
        for (;;) {
          const batch = await this.source.after(this.last, BATCH);
          for (const item of batch) {
            if (item.seq <= this.last || this.closed) continue;
            this.last = item.seq;
            this.subject.next(item);
          }
          if (batch.length < BATCH) break;
        }
      } while (this.again && !this.closed);
    } catch (error) {
      this.again = false;
      if (this.closed) return;
      this.logger.warn(`Reading the feed failed, retrying: ${String(error)}`);
      this.retry ??= setTimeout(() => {
        this.retry = null;
        this.read();
      }, RETRY_DELAY_MS).unref();
    }
  }
}
