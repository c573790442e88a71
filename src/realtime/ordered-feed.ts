import { Logger } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { Cancelled, patiently } from '../database/availability.js';
import type { PgBus } from '../database/pg-bus.service.js';
import { sees, type AudienceKey, type Viewer } from './audience.js';
import { CoalescedTask } from './coalesced-task.js';
import type { OutboxRelay } from './outbox-relay.js';
import type { OutboxTable } from './outbox.js';

/** Something delivered in feed order: `seq` is its feed_seq (see OutboxRelay), `audience` who it is for. */
export interface FeedItem {
  seq: bigint;
  audience: AudienceKey;
}

/** The next items after `seq` that `viewer` may see, oldest first, at most `limit`. */
export type ReadAfter<T extends FeedItem> = (seq: bigint, limit: number, viewer: Viewer) => Promise<T[]>;

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
const EVERYTHING: Viewer = { everything: true };

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
  follow<S = never, H = never>(
    viewer: Viewer,
    { after, opening, except, heartbeat }: FollowOptions<T, S, H> = {},
  ): Observable<T | S | H> {
    return new Observable<T | S | H>((subscriber) => {
      this.followerCount += 1;
      const state = { cancelled: false };
      let position = 0n;
      let waiting: T[] | null = [];
      const deliver = (item: T) => {
        if (item.seq <= position) return;
        position = item.seq;
        if (except?.(item)) return;
        this.deliveredCount += 1;
        subscriber.next(item);
      };
      const live = this.live.subscribe({
        next: (item) => {
          if (!viewer.everything && !sees(viewer, item.audience)) return;
          if (waiting) waiting.push(item);
          else deliver(item);
        },
        complete: () => subscriber.complete(),
      });
      if (heartbeat) live.add(heartbeat.subscribe((beat) => subscriber.next(beat)));
      const replay = async () => {
        position = after ? await patiently(after, { until: state }) : this.last;
        if (opening) subscriber.next(opening(position));
        for (let more = true; more && !state.cancelled;) {
          const batch = await patiently(() => this.read(position, BATCH, viewer), { until: state });
          batch.forEach(deliver);
          more = batch.length === BATCH;
        }
        const caughtUp = waiting ?? [];
        waiting = null;
        caughtUp.forEach(deliver);
      };
      replay().catch((error: unknown) => {
        if (!state.cancelled && !(error instanceof Cancelled)) subscriber.error(error);
      });
      return () => {
        this.followerCount -= 1;
        state.cancelled = true;
        live.unsubscribe();
      };
    });
  }

  private async readAll(): Promise<void> {
    for (;;) {
      const batch = await this.read(this.last, BATCH, EVERYTHING);
      for (const item of batch) {
        if (item.seq <= this.last || this.reader.isClosed) continue;
        this.last = item.seq;
        this.live.next(item);
      }
      if (batch.length < BATCH) return;
    }
  }
}
