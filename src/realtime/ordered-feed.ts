import { Logger } from '@nestjs/common';
import { Observable, Subject, Subscriber } from 'rxjs';
import { Cancelled, patiently } from '../database/availability.js';
import type { PgBus } from '../database/pg-bus.service.js';
import { sees, type AudienceKey, type Viewer } from '../access/audience.js';
import { CoalescedTask } from './coalesced-task.js';
import type { OutboxRelay } from './outbox-relay.js';
import type { OutboxTable } from './outbox.js';

/** Something delivered in feed order: `seq` is its feed_seq (see OutboxRelay), `audience` who it is for. */
export interface FeedItem {
  seq: bigint;
  audience: AudienceKey;
}

/** What the feed itself reads: every item, whoever it is for. */
export const EVERY_ITEM = 'every item';

/** The next items after `seq` that `viewer` may see (or all: EVERY_ITEM), oldest first, at most `limit`. */
export type ReadAfter<T extends FeedItem> = (
  seq: bigint,
  limit: number,
  viewer: Viewer | typeof EVERY_ITEM,
) => Promise<T[]>;

export interface FollowOptions<T, S, H> {
  /** Where to start: after the seq this resolves to, or (without it) after what this process delivered so far. */
  after?: () => Promise<bigint>;
  /** What the follower receives first, once its start is known (an SSE stream: where it stands). */
  opening?: (start: bigint) => S;
  /** Items this follower must not get (a chat sender's own messages). */
  except?: (item: T) => boolean;
  /** Passed on to the follower as they come (an SSE stream's keepalive comments). */
  heartbeat?: Observable<H>;
}

const BATCH = 500;

/**
 * One ordered feed of an outbox table, for this process, shared by every stream and socket that
 * follows it. The relay's NOTIFY only says "there is something up to N"; the items themselves are
 * read after the last one delivered, so a lost LISTEN connection, a missed or duplicated NOTIFY, or
 * a failed read only delays delivery: the next announcement, the bus's reconnect or a retry reads
 * from where delivery stands. `live` has every item once, in seq order; `follow` gives one follower
 * its replay from the database, then the live items of its audiences, with no gap and no duplicate.
 */
export class OrderedFeed<T extends FeedItem> {
  /** Every item once, in seq order, from every process; completes at shutdown. */
  readonly live = new Subject<T>();
  private last = 0n;
  private readonly reader: CoalescedTask;
  private followerCount = 0;
  private deliveredCount = 0;

  constructor(
    bus: PgBus,
    private readonly relay: OutboxRelay,
    private readonly table: OutboxTable,
    private readonly read: ReadAfter<T>,
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

  /** The seq of the last item delivered: what a new follower has seen "up to now". */
  get position(): bigint {
    return this.last;
  }

  /** Followers subscribed now. */
  get followers(): number {
    return this.followerCount;
  }

  /** Items handed to followers so far (replays included). */
  get delivered(): number {
    return this.deliveredCount;
  }

  /** Starts after everything already stored (call once, before serving). */
  async start(): Promise<void> {
    const newest = await this.relay.newest(this.table);
    if (newest > this.last) this.last = newest;
  }

  close(): void {
    this.reader.close();
    this.live.complete();
  }

  /** Where a client that claims to stand at `seq` really starts: there, or at the newest if that is older (a database reset). */
  async startAt(seq: bigint): Promise<bigint> {
    if (seq <= this.last) return seq;
    const newest = await this.relay.newest(this.table);
    return seq > newest ? newest : seq;
  }

  /**
   * What one stream or socket receives: its `opening`, then every stored item `viewer` may see after
   * its start, read from the database, then the live ones — each once, in order, with `heartbeat`
   * passed on between them. Live items that arrive during the replay wait for it. While the
   * database is unavailable, the start and the replay wait on the database back-off (`patiently`);
   * unsubscribing ends the waiting. Completes at shutdown.
   */
  follow<S = never, H = never>(viewer: Viewer, options: FollowOptions<T, S, H> = {}): Observable<T | S | H> {
    return new Observable<T | S | H>((subscriber) => {
      const follower = new Follower(subscriber, this, viewer, options);
      this.followerCount += 1;
      follower.add(() => (this.followerCount -= 1));
      this.live.subscribe(follower);
      options.heartbeat?.subscribe(follower);
      follower.replay().catch((error: unknown) => {
        if (!follower.closed && !(error instanceof Cancelled)) subscriber.error(error);
      });
    });
  }

  /** Counts one item handed to a follower. */
  countDelivery(): void {
    this.deliveredCount += 1;
  }

  /** Stored items after `seq` that `viewer` may see (for a follower's replay). */
  readAfter(seq: bigint, viewer: Viewer): Promise<T[]> {
    return this.read(seq, BATCH, viewer);
  }

  private async readAll(): Promise<void> {
    for (;;) {
      const batch = await this.read(this.last, BATCH, EVERY_ITEM);
      for (const item of batch) {
        if (item.seq <= this.last || this.reader.isClosed) continue;
        this.last = item.seq;
        this.live.next(item);
      }
      if (batch.length < BATCH) return;
    }
  }
}

/**
 * One stream's or socket's place in a feed: subscribed to the feed's live Subject (and to the
 * heartbeat) as itself, so that each live item costs one call per follower and an idle follower
 * holds one object, not a chain of operators and closures. Anything without a `seq` is a heartbeat
 * and goes on as it is.
 */
class Follower<T extends FeedItem, S, H> extends Subscriber<T | H> {
  private position = 0n;
  /** Live items that arrived during the replay, in order; null once the replay is done. */
  private waiting: T[] | null = [];

  constructor(
    destination: Subscriber<T | S | H>,
    private readonly feed: OrderedFeed<T>,
    private readonly viewer: Viewer,
    private readonly options: FollowOptions<T, S, H>,
  ) {
    super(destination);
  }

  protected override _next(value: T | H): void {
    const item = value as T;
    if (item.seq === undefined) {
      this.destination.next(value);
      return;
    }
    if (!sees(this.viewer, item.audience)) return;
    if (this.waiting) this.waiting.push(item);
    else this.deliver(item);
  }

  /** Where it starts, its opening, then the stored items after that, then what arrived meanwhile. */
  async replay(): Promise<void> {
    const { after, opening } = this.options;
    this.position = after ? await patiently(after, { until: this }) : this.feed.position;
    if (opening) (this.destination as Subscriber<T | S | H>).next(opening(this.position));
    for (let more = true; more && !this.closed;) {
      const batch = await patiently(() => this.feed.readAfter(this.position, this.viewer), { until: this });
      for (const item of batch) this.deliver(item);
      more = batch.length === BATCH;
    }
    const caughtUp = this.waiting ?? [];
    this.waiting = null;
    for (const item of caughtUp) this.deliver(item);
  }

  private deliver(item: T): void {
    if (item.seq <= this.position) return;
    this.position = item.seq;
    if (this.options.except?.(item)) return;
    this.feed.countDelivery();
    this.destination.next(item);
  }
}
