import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { captureLogs } from '../../test/support/captured-logs.js';
import { elapse, until, useFakeClock } from '../../test/support/fake-clock.js';
import type { Subscription } from 'rxjs';
import type { PgBus } from '../database/pg-bus.service.js';
import { agencyAudience, sees, userAudience, type AudienceKey, type Viewer } from '../access/audience.js';
import { EVERY_ITEM, OrderedFeed, type FeedItem } from './ordered-feed.js';

interface FeedStart {
  start: bigint;
}
import type { OutboxRelay } from './outbox-relay.js';
import type { OutboxTable } from './outbox.js';

/** A feed's table, as a feature names it. */
const NOTIFICATIONS_OUTBOX: OutboxTable = { table: 'notifications', insertOrder: 'id', channel: 'notifications' };

interface Item extends FeedItem {
  n: number;
}

const A = agencyAudience('a');
const B = agencyAudience('b');
const everything: Viewer = { allAgencies: true, keys: new Set() };
const only = (...keys: AudienceKey[]): Viewer => ({ allAgencies: false, keys: new Set(keys) });

/**
 * A feed over an in-memory table: `store` adds committed, stamped rows and announces them as the
 * relay's NOTIFY would; `read` is what the database answers (and can be made to fail or wait).
 */
function setup() {
  const rows: Item[] = [];
  const channels = new Map<string, (payload: string) => void>();
  const bus = {
    subscribe: (channel: string, handler: (payload: string) => void) => channels.set(channel, handler),
    onReconnect: () => undefined,
  } as unknown as PgBus;
  const relay = {
    register: () => undefined,
    newest: () => Promise.resolve(rows.length ? rows[rows.length - 1].seq : 0n),
  } as unknown as OutboxRelay;
  let failing: Error | null = null;
  let gate: Promise<void> | null = null;
  const reads: bigint[] = [];
  const feed = new OrderedFeed<Item>(bus, relay, NOTIFICATIONS_OUTBOX, async (seq, limit, viewer) => {
    reads.push(seq);
    if (gate) await gate;
    if (failing) throw failing;
    return rows.filter((row) => row.seq > seq && (viewer === EVERY_ITEM || sees(viewer, row.audience))).slice(0, limit);
  });
  const store = (audience: AudienceKey, count = 1) => {
    for (let i = 0; i < count; i++) rows.push({ seq: BigInt(rows.length + 1), audience, n: rows.length + 1 });
    channels.get(NOTIFICATIONS_OUTBOX.channel)!(String(rows.length));
  };
  return {
    feed,
    store,
    reads,
    fail: (error: Error | null) => (failing = error),
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

describe('OrderedFeed', () => {
  const subscriptions: Subscription[] = [];
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    useFakeClock();
    logs = captureLogs();
  });
  afterEach(() => {
    subscriptions.splice(0).forEach((subscription) => subscription.unsubscribe());
    jest.useRealTimers();
    logs.restore();
  });

  const follow = (feed: OrderedFeed<Item>, viewer: Viewer, after?: bigint, except?: (item: Item) => boolean) => {
    const got: (FeedStart | Item)[] = [];
    let error: unknown;
    subscriptions.push(
      feed
        .follow(viewer, {
          after: after === undefined ? undefined : () => feed.startAt(after),
          opening: (start): FeedStart => ({ start }),
          except,
        })
        .subscribe({ next: (item) => got.push(item), error: (e: unknown) => (error = e) }),
    );
    const items = () => got.filter((item): item is Item => 'n' in item).map((item) => item.n);
    return { got, items, error: () => error };
  };

  it('puts live items in seq order, each once, however often they are announced', async () => {
    const { feed, store } = setup();
    const seen: number[] = [];
    feed.live.subscribe((item) => seen.push(item.n));
    store(A, 3);
    store(B);
    await until(() => seen.length === 4, 'four items');
    store(A); // announced again and again: read once
    await until(() => seen.length === 5, 'the fifth');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(feed.position).toBe(5n);
  });

  it('replays what the viewer may see after its position, then goes live, with no gap or duplicate', async () => {
    const { feed, store, hold } = setup();
    store(A, 2);
    store(B);
    await until(() => feed.position === 3n, 'the first three delivered');
    const release = hold(); // the replay waits: meanwhile 4..6 go live
    const follower = follow(feed, only(A), 1n);
    await elapse(5);
    store(A);
    store(B);
    store(A);
    expect(follower.items()).toEqual([]);
    release();
    await until(() => follower.items().length === 3, 'the replay and the live items');
    store(A);
    await until(() => follower.items().length === 4, 'one more live');
    expect(follower.got[0]).toEqual({ start: 1n });
    expect(follower.items()).toEqual([2, 4, 6, 7]);
  });

  it("gives a user's items to that user only: not to another, not to the viewer of every agency", async () => {
    const { feed, store } = setup();
    const renter = userAudience('renter-1');
    const admin = follow(feed, everything, 0n);
    const mine = follow(feed, only(renter), 0n);
    const other = follow(feed, only(userAudience('renter-2'), B), 0n);
    store(A);
    store(renter);
    store(B);
    await until(() => admin.items().length === 2 && mine.items().length === 1 && other.items().length === 1, 'all');
    expect(admin.items()).toEqual([1, 3]);
    expect(mine.items()).toEqual([2]);
    expect(other.items()).toEqual([3]);
  });

  it('starts a follower without a position where delivery stands, and one past the newest at the newest', async () => {
    const { feed, store } = setup();
    store(A, 2);
    await until(() => feed.position === 2n, 'delivery');
    const fresh = follow(feed, everything);
    const reset = follow(feed, everything, 99n); // a client from before a database reset
    await until(() => fresh.got.length === 1 && reset.got.length === 1, 'both starts');
    store(A);
    await until(() => fresh.items().length === 1 && reset.items().length === 1, 'the live item');
    expect([fresh.got[0], reset.got[0]]).toEqual([{ start: 2n }, { start: 2n }]);
    expect([fresh.items(), reset.items()]).toEqual([[3], [3]]);
  });

  it('skips what `except` rejects and counts what it hands out', async () => {
    const { feed, store } = setup();
    const follower = follow(feed, everything, undefined, (item) => item.n % 2 === 0);
    await until(() => follower.got.length === 1, 'the start');
    store(A, 4);
    await until(() => follower.items().length === 2, 'the odd items');
    expect(follower.items()).toEqual([1, 3]);
    expect(feed.delivered).toBe(2);
  });

  it('waits while the database is unavailable, then replays; leaving ends the waiting', async () => {
    const { feed, store, fail, reads } = setup();
    store(A);
    await until(() => feed.position === 1n, 'delivery');
    fail(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const follower = follow(feed, everything, 0n);
    await until(() => reads.filter((seq) => seq === 0n).length >= 2, 'a retry');
    expect(follower.error()).toBeUndefined();
    fail(null);
    await until(() => follower.items().length === 1, 'the replay');

    fail(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const leaving = follow(feed, everything, 0n);
    await until(() => feed.followers === 2, 'two followers');
    subscriptions.pop()!.unsubscribe();
    const readsBefore = reads.length;
    await elapse(600); // more than the back-off's next wait
    expect(reads.length).toBe(readsBefore);
    expect(feed.followers).toBe(1);
    expect(leaving.error()).toBeUndefined();
  });

  it('gives up on an error that is not an outage', async () => {
    const { feed, fail } = setup();
    fail(new Error('column "feed_seq" does not exist'));
    const follower = follow(feed, everything, 0n);
    await until(() => follower.error() !== undefined, 'the error');
    expect(String(follower.error())).toMatch(/feed_seq/);
  });

  it('completes its followers when it closes', () => {
    const { feed } = setup();
    let completed = false;
    subscriptions.push(feed.follow(everything).subscribe({ complete: () => (completed = true) }));
    feed.close();
    expect(completed).toBe(true);
  });
});
