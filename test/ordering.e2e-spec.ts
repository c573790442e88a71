import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { freePort } from '../src/common/free-port.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, createCar, reviewInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { day } from './support/dates.js';
import { openSse, type SseClient } from './support/sse.js';
import { sleep, waitFor } from './support/wait.js';

const WRITERS_PER_PROCESS = 4;
const ROUNDS = 10;
const READERS = 6;

/** The built API (`npm test` builds it first) as a second OS process on the same database. */
async function startApiProcess(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      RATE_LIMITS: 'off',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => ((await fetch(`${url}/health/ready`).catch(() => null))?.ok ? true : undefined),
    30_000,
    'the second API process',
  );
  return { child, url };
}

/**
 * A reader that keeps everything it was sent across reconnections, as a browser's EventSource
 * does: each new connection sends the id of the last event the previous one carried.
 */
class Reader {
  readonly events: { id: bigint; notificationId: string }[] = [];
  private client: SseClient | null = null;
  private lastEventId: string | null = null;
  private seen = 0;

  constructor(private readonly urls: string[]) {}

  async connect(): Promise<void> {
    this.collect();
    const url = this.urls[Math.floor(Math.random() * this.urls.length)];
    const headers: Record<string, string> = this.lastEventId === null ? {} : { 'Last-Event-ID': this.lastEventId };
    this.client = await openSse(`${url}/notifications/sse`, headers);
    this.seen = 0;
    const client = this.client;
    // Connected once the stream says where it stands (its first `id:`).
    await waitFor(() => (client.lastEventId !== null ? true : undefined), 5000, 'the stream to start');
  }

  /** Moves what the current connection received into `events`. */
  collect(): void {
    const client = this.client;
    if (!client) return;
    for (const event of client.events.slice(this.seen)) {
      this.events.push({ id: BigInt(event.id!), notificationId: (JSON.parse(event.data) as { id: string }).id });
    }
    this.seen = client.events.length;
    if (client.lastEventId !== null) this.lastEventId = client.lastEventId;
  }

  async reconnect(): Promise<void> {
    this.collect();
    this.client?.close();
    await this.connect();
  }

  get count(): number {
    return this.events.length + (this.client ? this.client.events.length - this.seen : 0);
  }

  close(): void {
    this.collect();
    this.client?.close();
  }
}

/**
 * Many writers on two processes, each with its own pool, listener and outbox relay, raising
 * notifications concurrently (bookings, status changes, reviews), while readers on both processes
 * drop their streams at random moments and resume with Last-Event-ID. No global lock orders the
 * writers: the outbox relay does, after they commit. Every reader must end with every notification
 * exactly once, in delivery order.
 */
describe('Delivery order under concurrent writers on two processes', () => {
  let a: TestApp;
  let b: { child: ChildProcess; url: string };

  beforeAll(async () => {
    a = await createTestApp();
    b = await startApiProcess(a.databaseUrl);
  }, 60_000);
  afterAll(async () => {
    b?.child.kill('SIGTERM');
    await a?.close();
  });

  it('gives every reader every notification once, in order, across reconnects', async () => {
    const urls = [a.url, b.url];
    const cars = await Promise.all(
      Array.from({ length: 2 * WRITERS_PER_PROCESS }, (_, index) => createCar(urls[index % 2])),
    );
    const readers = Array.from({ length: READERS }, () => new Reader(urls));
    await Promise.all(readers.map((reader) => reader.connect()));

    let writing = true;
    const writer = async (index: number) => {
      const url = urls[index % 2];
      const car = cars[index];
      for (let round = 0; round < ROUNDS; round++) {
        const booking = (
          await request(url)
            .post('/bookings')
            .send(bookingInput(car.id, day(2 * round), day(2 * round + 1)))
            .expect(201)
        ).body as { id: string };
        // Status changes and reviews go to either process.
        await request(urls[(index + round) % 2])
          .put(`/bookings/${booking.id}`)
          .send({ status: 'Confirmed' })
          .expect(200);
        await request(urls[(index + round + 1) % 2])
          .post('/reviews')
          .send(reviewInput(car.id, { rating: 1 + (round % 5) }))
          .expect(201);
      }
    };
    const churn = async (reader: Reader) => {
      while (writing) {
        await sleep(50 + Math.random() * 250);
        await reader.reconnect();
      }
    };
    const churning = readers.map(churn);
    await Promise.all(Array.from({ length: 2 * WRITERS_PER_PROCESS }, (_, index) => writer(index)));
    writing = false;
    await Promise.all(churning);

    // One more notification, after all the others: each reader's stream is in delivery order, so once it
    // has arrived a duplicate of an earlier one would have arrived too.
    await request(a.url)
      .post('/reviews')
      .send(reviewInput(cars[0].id, { rating: 5 }))
      .expect(201);
    const expected = 2 * WRITERS_PER_PROCESS * ROUNDS * 3 + 1;
    await waitFor(
      () => (readers.every((reader) => reader.count >= expected) ? true : undefined),
      20_000,
      `${expected} notifications on every reader`,
    );
    readers.forEach((reader) => reader.close());

    const stored = await withClient(a.databaseUrl, async (client) => {
      const result = await client.query<{ id: string; feed_seq: string }>(
        'SELECT id::text, feed_seq::text FROM notifications n ORDER BY n.feed_seq',
      );
      return result.rows;
    });
    expect(stored).toHaveLength(expected);
    const inDeliveryOrder = stored.map((row) => ({ id: BigInt(row.feed_seq), notificationId: row.id }));
    for (const reader of readers) {
      // Exactly the stored notifications, each once, in delivery order: no gap, no duplicate.
      expect(reader.events).toEqual(inDeliveryOrder);
    }
  }, 120_000);
});
