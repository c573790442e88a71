import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { createTestApp, type TestApp } from './support/app.js';
import { carInput, reviewInput } from './support/builders.js';
import { day } from './support/dates.js';
import { startOwnServer, withClient, type OwnServer } from './support/database.js';
import { openSse } from './support/sse.js';
import { sleep, waitFor } from './support/wait.js';
import { openWs } from './support/ws.js';

interface Answer {
  status: number;
  ms: number;
  retryAfter?: string;
  body: { id?: string; statusCode?: number; message?: string; error?: string };
}

/**
 * The database server is stopped under load and started again, for real: every
 * request that needs it gets 503 + Retry-After within 2 s meanwhile, never a 500;
 * afterwards everything works again and no accepted booking is missing.
 */
describe('A database outage', () => {
  let database: OwnServer;
  let t: TestApp;

  beforeAll(async () => {
    database = await startOwnServer();
    t = await createTestApp({}, database.url);
  });
  afterAll(async () => {
    await t.close();
    await database.destroy();
  });

  it('answers 503 + Retry-After during, recovers after, loses nothing, and keeps SSE and chat delivering', async () => {
    const cars: string[] = [];
    for (let i = 0; i < 4; i++) cars.push((await request(t.url).post('/cars').send(carInput()).expect(201)).body.id);
    const before = await openSse(`${t.url}/notifications/sse`);
    await waitFor(() => (t.app.get(NotificationsService).openStreams === 1 ? true : undefined), 2000, 'the stream');
    const sender = await openWs(t.url);
    const receiver = await openWs(t.url);

    // Load: uncached car lists and bookings in distinct hourly slots, until told to stop.
    const answers: Answer[] = [];
    let running = true;
    let slot = 0;
    const call = async (make: () => request.Test) => {
      const started = Date.now();
      const response = await make();
      answers.push({
        status: response.status,
        ms: Date.now() - started,
        retryAfter: response.headers['retry-after'],
        body: response.body,
      });
    };
    const worker = async (index: number) => {
      while (running) {
        const n = slot++;
        const start = new Date(Date.parse(day(0, 0)) + n * 3_600_000);
        const booking = {
          carId: cars[n % cars.length],
          startDate: start.toISOString(),
          endDate: new Date(start.getTime() + 3_600_000).toISOString(),
          renter: { name: 'Amina', email: 'amina@example.com' },
        };
        await call(() =>
          index % 2 === 0
            ? request(t.url).post('/bookings').send(booking)
            : request(t.url).get(`/cars?location=nowhere-${n}`),
        );
        await sleep(20);
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(worker));
    await sleep(500);

    await database.stop();
    const outageStarted = answers.length;
    await sleep(1500);
    const health = await request(t.url).get('/health');
    const ready = await request(t.url).get('/health/ready');
    // A stream that connects now keeps its place and waits: no error event, no restart from zero.
    const lastId = before.events.at(-1)?.id ?? '0';
    const during = await openSse(`${t.url}/notifications/sse`, { 'Last-Event-ID': lastId });
    sender.send({ id: 'sent-during-outage', sender: 'agency', content: 'Anyone there?' });
    await sleep(1500);
    const outageAnswers = answers.slice(outageStarted);

    await database.start();
    await waitFor(
      async () => ((await request(t.url).get('/health')).status === 200 ? true : undefined),
      15_000,
      'the API to see the database again',
    );
    await sleep(500);
    running = false;
    await load;

    // During: 503 with Retry-After in the usual body, quickly, and never a 500 at any point.
    expect(answers.filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);
    const unavailable = outageAnswers.filter((answer) => answer.status === 503);
    expect(unavailable.length).toBeGreaterThan(10);
    for (const answer of unavailable) {
      expect(answer.retryAfter).toBe('2');
      expect(answer.body).toEqual({
        statusCode: 503,
        message: 'Database unavailable, retry shortly',
        error: 'Service Unavailable',
      });
    }
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(2000);
    for (const probe of [health, ready]) {
      expect(probe.status).toBe(503);
      expect(probe.headers['retry-after']).toBe('2');
      expect(probe.body).toEqual({ statusCode: 503, message: expect.any(String), error: 'Service Unavailable' });
      expect(JSON.stringify(probe.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|\d{4,5}/);
    }

    // After: it works again, and every booking answered 201 is stored.
    await request(t.url).get('/health/ready').expect(200);
    const accepted = answers.filter((answer) => answer.status === 201).map((answer) => answer.body.id);
    expect(accepted.length).toBeGreaterThan(5);
    const stored = await withClient(database.url, (client) =>
      client.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings WHERE id = ANY($1::uuid[])', [accepted]),
    );
    expect(stored.rows[0].n).toBe(accepted.length);

    // SSE and chat deliver again: the stream opened during the outage included, with no error event.
    await request(t.url)
      .post('/reviews')
      .send(reviewInput(cars[0], { rating: 3 }))
      .expect(201);
    for (const client of [before, during]) {
      const isReview = (event: { data: string }) => JSON.parse(event.data).message?.startsWith('New 3-star review');
      await waitFor(() => (client.events.some(isReview) ? true : undefined), 10_000, 'the review on each stream');
      expect(client.events.filter((event) => event.event === 'error')).toEqual([]);
    }
    const ids = during.events.map((event) => BigInt(event.id!));
    expect(ids.every((id, index) => id > (index === 0 ? BigInt(lastId) : ids[index - 1]))).toBe(true);
    const relayed = await receiver.waitForFrames(1, 15_000);
    expect(relayed).toEqual([expect.objectContaining({ clientId: 'sent-during-outage', content: 'Anyone there?' })]);
    sender.send({ id: 'sent-after', sender: 'agency', content: 'Back' });
    await receiver.waitForFrames(2, 5000);

    before.close();
    during.close();
    await Promise.all([sender.close(), receiver.close()]);
  }, 60_000);
});
