import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createCar, reviewInput } from './support/builders.js';
import { openSse } from './support/sse.js';
import { sleep, waitFor } from './support/wait.js';
import { openWs } from './support/ws.js';

/** Two application instances on one database behave as one API behind a load balancer. */
describe('Two API processes on one database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({}, a.databaseUrl);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('pushes a review posted to A to an SSE stream on B (and on A)', async () => {
    const car = await createCar(a.url);
    const onB = await openSse(`${b.url}/notifications/sse`);
    const onA = await openSse(`${a.url}/notifications/sse`);
    const streams = (app: TestApp) => app.app.get(NotificationsService).openStreams;
    await waitFor(() => (streams(a) === 1 && streams(b) === 1 ? true : undefined), 2000, 'both streams to open');
    const review = (
      await request(a.url)
        .post('/reviews')
        .send(reviewInput(car.id, { rating: 4 }))
        .expect(201)
    ).body;
    for (const client of [onA, onB]) {
      const [event] = await client.waitForEvents(1);
      expect(JSON.parse(event.data)).toMatchObject({ type: 'REVIEW', data: { review } });
    }
    onA.close();
    onB.close();
  });

  it('invalidates the cached car list of B when A changes a car', async () => {
    const car = await createCar(a.url, { pricePerDay: 10 });
    expect(
      (await request(b.url).get('/cars').expect(200)).body.find((c: { id: string }) => c.id === car.id).pricePerDay,
    ).toBe(10);
    await request(a.url).patch(`/cars/${car.id}`).send({ pricePerDay: 12 }).expect(200);
    await waitFor(
      async () => {
        const list = (await request(b.url).get('/cars').expect(200)).body as { id: string; pricePerDay: number }[];
        return list.find((c) => c.id === car.id)?.pricePerDay === 12 ? true : undefined;
      },
      3000,
      'B to see the new price',
    );
  });

  it('relays a chat message sent on A to sockets on B, and not back to the sender', async () => {
    const sender = await openWs(a.url);
    const neighbour = await openWs(a.url);
    const remote = await openWs(b.url);
    const frame = { id: 'multi-1', sender: 'admin', content: 'Hello from A', timestamp: new Date().toISOString() };
    sender.send(frame);
    expect(await remote.waitForFrames(1)).toEqual([frame]);
    expect(await neighbour.waitForFrames(1)).toEqual([frame]);
    await sleep(200); // an absence has no condition to wait for: give a wrong echo time to arrive
    expect(sender.frames).toHaveLength(0);
    const history = await request(b.url).get('/chat/messages').expect(200);
    expect(history.body).toEqual([frame]);
    await Promise.all([sender.close(), neighbour.close(), remote.close()]);
  });
});
