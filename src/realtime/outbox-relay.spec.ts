import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { captureLogs } from '../../test/support/captured-logs.js';
import { elapse, until, useFakeClock } from '../../test/support/fake-clock.js';
import type { PgBus } from '../database/pg-bus.service.js';
import { OutboxRelay } from './outbox-relay.js';
import type { OutboxTable } from './outbox.js';
import type { OutboxRepository } from './outbox.repository.js';

/** Two feeds' tables, as features name them. */
const NOTIFICATIONS_OUTBOX: OutboxTable = { table: 'notifications', insertOrder: 'id', channel: 'notifications' };
const CHAT_OUTBOX: OutboxTable = { table: 'chat_messages', insertOrder: 'seq', channel: 'chat_messages' };

/**
 * The relay with its database call (`feed_relay`) answered here: each call says how many rows it
 * stamped, from `pending` (rows per table waiting to be stamped) up to the batch size.
 */
function setup() {
  const channels = new Map<string, (payload: string) => void>();
  let reconnect = () => undefined as void;
  const bus = {
    subscribe: (channel: string, handler: (payload: string) => void) => channels.set(channel, handler),
    onReconnect: (handler: () => void) => (reconnect = handler),
  } as unknown as PgBus;
  const pending = new Map<string, number>();
  const calls: { table: string; batch: number }[] = [];
  let running = 0;
  let overlapped = false;
  let failNext: Error | null = null;
  const outbox = {
    stamp: async ({ table }: OutboxTable, batch: number) => {
      calls.push({ table, batch });
      running += 1;
      overlapped ||= running > 1;
      await new Promise((resolve) => setTimeout(resolve, 5)); // the statement's time, on the fake clock
      running -= 1;
      if (failNext) {
        const error = failNext;
        failNext = null;
        throw error;
      }
      const stamped = Math.min(pending.get(table) ?? 0, batch);
      pending.set(table, (pending.get(table) ?? 0) - stamped);
      return stamped;
    },
  } as unknown as OutboxRepository;
  const relay = new OutboxRelay(outbox, bus);
  const stamped = { notifications: 0, chat: 0 };
  relay.register(NOTIFICATIONS_OUTBOX, () => (stamped.notifications += 1));
  relay.register(CHAT_OUTBOX, () => (stamped.chat += 1));
  const announce = (table: string, rows: number) => {
    pending.set(table, (pending.get(table) ?? 0) + rows);
    channels.get('feed_outbox')!(table);
  };
  return {
    relay,
    announce,
    calls,
    stamped,
    pending,
    reconnect: () => reconnect(),
    overlapped: () => overlapped,
    failNext: (error: Error) => (failNext = error),
  };
}

describe('OutboxRelay', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    useFakeClock();
    logs = captureLogs();
  });
  afterEach(() => {
    jest.useRealTimers();
    logs.restore();
  });

  it('stamps the table a commit announces, one run at a time however many announcements come', async () => {
    const { relay, announce, calls, stamped, pending, overlapped } = setup();
    for (let i = 0; i < 50; i++) announce('notifications', 1);
    await until(() => pending.get('notifications') === 0, 'every row stamped');
    await elapse(20);
    expect(overlapped()).toBe(false);
    expect(calls.length).toBeLessThan(5); // a burst costs a run or two, not fifty
    expect(calls.every((call) => call.table === 'notifications')).toBe(true);
    expect(stamped).toEqual({ notifications: 1, chat: 0 });
    relay.onApplicationShutdown();
  });

  it('runs again while a run stamps a whole batch', async () => {
    const { relay, announce, calls, pending } = setup();
    announce('chat_messages', 2500);
    await until(() => pending.get('chat_messages') === 0, 'every row stamped');
    expect(calls.map((call) => call.table)).toEqual(['chat_messages', 'chat_messages', 'chat_messages']);
    relay.onApplicationShutdown();
  });

  it('retries a run that failed because the database was away', async () => {
    const { relay, announce, calls, pending, failNext } = setup();
    failNext(new Error('Connection terminated'));
    announce('notifications', 3);
    await until(() => pending.get('notifications') === 0, 'the retry to stamp them');
    expect(calls).toHaveLength(2);
    expect(logs.lines).toEqual([
      { level: 'warn', message: 'Feed relay of notifications failed, retrying: Error: Connection terminated' },
    ]);
    relay.onApplicationShutdown();
  });

  it('wakes every table at start-up and after a lost listening connection', async () => {
    const { relay, calls, pending, reconnect } = setup();
    pending.set('notifications', 2); // committed while no process ran
    relay.onApplicationBootstrap();
    await until(() => pending.get('notifications') === 0, 'the rows left from before to be stamped');
    expect(new Set(calls.map((call) => call.table))).toEqual(new Set(['notifications', 'chat_messages']));
    pending.set('chat_messages', 4); // committed while the listener was down: no announcement heard
    reconnect();
    await until(() => pending.get('chat_messages') === 0, 'the catch-up after reconnecting');
    relay.onApplicationShutdown();
  });
});
