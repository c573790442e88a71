import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput, createCar, reviewInput } from './support/builders.js';
import { day } from './support/dates.js';
import { signToken, TEST_SECRET } from './support/tokens.js';
import { openSse } from './support/sse.js';
import { waitFor } from './support/wait.js';
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
    const [relayed] = await remote.waitForFrames(1);
    expect(relayed).toMatchObject({ clientId: 'multi-1', sender: 'admin', content: 'Hello from A' });
    expect(await neighbour.waitForFrames(1)).toEqual([relayed]);
    // A sentinel from another socket reaches the sender: an echo of its own would have come first.
    remote.send({ id: 'multi-2', sender: 'admin', content: 'Sentinel from B' });
    expect(await sender.waitForFrames(1)).toEqual([expect.objectContaining({ clientId: 'multi-2' })]);
    const history = await request(b.url).get('/chat/messages').expect(200);
    expect(history.body[0]).toEqual(relayed);
    await Promise.all([sender.close(), neighbour.close(), remote.close()]);
  });
});

/** Token mode across processes: agency A never sees agency B's notifications or chat, wherever it is connected. */
describe('Two API processes in token mode', () => {
  let a: TestApp;
  let b: TestApp;
  const tokens: Record<string, string> = {};
  const agencies: Record<string, string> = {};

  beforeAll(async () => {
    a = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET });
    b = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET }, a.databaseUrl);
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin' });
    for (const name of ['A', 'B']) {
      agencies[name] = (
        await request(a.url).post('/agencies').set('Authorization', `Bearer ${tokens.admin}`).send({ name }).expect(201)
      ).body.id;
      tokens[name] = await signToken({ sub: `clerk-${name}`, role: 'agency', agency_id: agencies[name] });
    }
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it("delivers B's notifications to B's streams on either process, never to A's", async () => {
    const car = await request(b.url)
      .post('/cars')
      .set('Authorization', `Bearer ${tokens.B}`)
      .send(carInput())
      .expect(201);
    const aOnA = await openSse(`${a.url}/notifications/sse?access_token=${tokens.A}`);
    const bOnA = await openSse(`${a.url}/notifications/sse?access_token=${tokens.B}`);
    const adminOnB = await openSse(`${b.url}/notifications/sse?access_token=${tokens.admin}`);
    const streams = (app: TestApp) => app.app.get(NotificationsService).openStreams;
    await waitFor(() => (streams(a) === 2 && streams(b) === 1 ? true : undefined), 2000, 'the streams to open');
    await request(b.url)
      .post('/bookings')
      .set('Authorization', `Bearer ${tokens.B}`)
      .send(bookingInput(car.body.id, day(5), day(6)))
      .expect(201);
    const [forB] = await bOnA.waitForEvents(1);
    expect(forB.data).toContain(car.body.id);
    await adminOnB.waitForEvents(1);
    // A sentinel for agency A, raised after: B's booking, had it reached A's stream, would be before it.
    const carOfA = await request(a.url)
      .post('/cars')
      .set('Authorization', `Bearer ${tokens.A}`)
      .send(carInput())
      .expect(201);
    await request(a.url)
      .post('/bookings')
      .set('Authorization', `Bearer ${tokens.A}`)
      .send(bookingInput(carOfA.body.id, day(5), day(6)))
      .expect(201);
    const [sentinel] = await aOnA.waitForEvents(1);
    expect(sentinel.data).toContain(carOfA.body.id);
    for (const client of [aOnA, bOnA, adminOnB]) client.close();
  });

  it("relays the admin's message to its agency's sockets on the other process only", async () => {
    const admin = await openWs(a.url, `/ws/chat?access_token=${tokens.admin}`);
    const agencyA = await openWs(b.url, `/ws/chat?access_token=${tokens.A}`);
    const agencyB = await openWs(b.url, `/ws/chat?access_token=${tokens.B}`);
    admin.send({ id: '1', content: 'For B only', agencyId: agencies.B });
    const [received] = await agencyB.waitForFrames(1);
    expect(received).toMatchObject({ sender: 'admin', content: 'For B only', agencyId: agencies.B });
    agencyB.send({ id: '1', content: 'Thanks' }); // the same client id as the admin's: another sender
    const [reply] = await admin.waitForFrames(1);
    expect(reply).toMatchObject({ sender: 'agency', content: 'Thanks', agencyId: agencies.B });
    // A sentinel in agency A's own conversation: B's messages, had they reached A, would be before it.
    admin.send({ id: '2', content: 'For A', agencyId: agencies.A });
    expect(await agencyA.waitForFrames(1)).toEqual([expect.objectContaining({ content: 'For A' })]);
    await Promise.all([admin.close(), agencyA.close(), agencyB.close()]);
  });
});
