import { describe, expect, it } from '@jest/globals';
import { InvalidatedCache } from './invalidated-cache.js';
import type { PgBus } from './pg-bus.service.js';
import { TABLE_CHANGED_CHANNEL, TableChanges } from './table-changes.js';

function setup(tables = ['cars', 'bookings']) {
  let announce = (_table: string) => undefined as void;
  let reconnect = () => undefined as void;
  const bus = {
    connected: true,
    subscribe: (channel: string, handler: (payload: string) => void) => {
      if (channel === TABLE_CHANGED_CHANNEL) announce = handler;
    },
    onReconnect: (handler: () => void) => (reconnect = handler),
  };
  const changes = new TableChanges(bus as unknown as PgBus);
  const cache = new InvalidatedCache<string>(changes, tables, 3);
  return { cache, changes, bus, announce: (table: string) => announce(table), reconnect: () => reconnect() };
}

/** A load that finishes when told to, so that a change can come while it runs. */
function slowLoad(value: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { load: () => done.then(() => value), finish };
}

describe('InvalidatedCache', () => {
  it('keeps a loaded value until a watched table changes, on any process or this one', async () => {
    const { cache, announce, changes } = setup();
    await cache.load('k', () => Promise.resolve('v1'));
    expect(cache.get('k')).toBe('v1');
    announce('reviews'); // not watched
    expect(cache.get('k')).toBe('v1');
    announce('cars'); // another process's write (the trigger's NOTIFY)
    expect(cache.get('k')).toBeUndefined();
    await cache.load('k', () => Promise.resolve('v2'));
    changes.committed('bookings'); // this process's own write
    expect(cache.get('k')).toBeUndefined();
  });

  it('hands out but does not keep a value whose load raced with a change', async () => {
    const { cache, announce } = setup();
    const slow = slowLoad('stale');
    const loading = cache.load('k', slow.load);
    announce('bookings'); // committed while the load was reading: the value may predate it
    slow.finish();
    expect(await loading).toBe('stale');
    expect(cache.get('k')).toBeUndefined();
    await cache.load('k', () => Promise.resolve('fresh'));
    expect(cache.get('k')).toBe('fresh');
  });

  it('keeps nothing while changes cannot be heard, and forgets everything when the listener is back', async () => {
    const { cache, bus, reconnect } = setup();
    await cache.load('a', () => Promise.resolve('1'));
    bus.connected = false;
    await cache.load('b', () => Promise.resolve('2'));
    expect(cache.get('b')).toBeUndefined();
    bus.connected = true;
    reconnect();
    expect(cache.get('a')).toBeUndefined();
  });

  it('holds at most its maximum of entries', async () => {
    const { cache } = setup();
    for (const key of ['a', 'b', 'c', 'd']) await cache.load(key, () => Promise.resolve(key));
    expect(['a', 'b', 'c', 'd'].filter((key) => cache.get(key) !== undefined)).toEqual(['d']);
  });
});
