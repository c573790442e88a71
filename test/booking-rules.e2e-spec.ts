import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput, reviewInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { day, started } from './support/dates.js';
import { signToken, TEST_SECRET } from './support/tokens.js';

describe('Token mode: bookings belong to their renter, and no renter holds a car for years', () => {
  let t: TestApp;
  let agency: string;
  let car: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const book = (who: string, body: object) => request(t.url).post('/bookings').set(as(who)).send(body);
  const countBookings = () =>
    withClient(t.databaseUrl, async (client) =>
      Number((await client.query('SELECT count(*) FROM bookings')).rows[0].count),
    );

  beforeAll(async () => {
    t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET, MAX_OPEN_BOOKINGS_PER_RENTER: '3' });
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin' });
    agency = (await request(t.url).post('/agencies').set(as('admin')).send({ name: 'Atlas Cars' }).expect(201)).body.id;
    tokens.agency = await signToken({ sub: 'clerk-a', role: 'agency', agency_id: agency });
    tokens.renter = await signToken({ sub: 'renter-2', role: 'renter', name: 'Youssef' });
    tokens.busy = await signToken({ sub: 'renter-9', role: 'renter', name: 'Busy' });
    car = (await request(t.url).post('/cars').set(as('agency')).send(carInput()).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it("never stores a renter id from an agency's body: its booking is a walk-in, not the renter's", async () => {
    const { start, end } = started();
    const planted = await book('agency', {
      ...bookingInput(car, start, end),
      renter: { id: 'renter-2', name: 'Youssef', email: 'y@example.com' },
    }).expect(201);
    expect(planted.body.renter.id).not.toBe('renter-2');
    expect(planted.body.renter).toMatchObject({ name: 'Youssef', email: 'y@example.com' });
    const mine = await request(t.url).get('/bookings').set(as('renter')).expect(200);
    expect(mine.body).toEqual([]);
    // Even completed, it unlocks no "verified" review for that renter.
    await request(t.url)
      .put(`/bookings/${planted.body.id}`)
      .set(as('agency'))
      .send({ status: 'Confirmed' })
      .expect(200);
    await request(t.url)
      .put(`/bookings/${planted.body.id}`)
      .set(as('agency'))
      .send({ status: 'Completed' })
      .expect(200);
    await request(t.url).post('/reviews').set(as('renter')).send(reviewInput(car)).expect(403);
  });

  it("refuses a review on a booking planted in the renter's name before this rule existed", async () => {
    const { start, end } = started();
    const walkIn = await book('agency', bookingInput(car, day(200), day(201))).expect(201);
    // As a database from before the rule may hold it: an agency's booking in the renter's name, Completed.
    await withClient(t.databaseUrl, (client) =>
      client.query(
        `UPDATE bookings SET renter_id = 'renter-2', status = 'Completed', start_date = $2, end_date = $3 WHERE id = $1`,
        [walkIn.body.id, start, end],
      ),
    );
    const response = await request(t.url).post('/reviews').set(as('renter')).send(reviewInput(car)).expect(403);
    expect(response.body.message).toMatch(/that they made/);
  });

  it('refuses Completed before the rental began (409), and allows it once it has', async () => {
    const future = await book('agency', bookingInput(car, day(40), day(42))).expect(201);
    await request(t.url).put(`/bookings/${future.body.id}`).set(as('agency')).send({ status: 'Confirmed' }).expect(200);
    const early = await request(t.url)
      .put(`/bookings/${future.body.id}`)
      .set(as('agency'))
      .send({ status: 'Completed' })
      .expect(409);
    expect(early.body.message).toBe('A booking cannot be Completed before its startDate');
    const after = await request(t.url).get(`/bookings/${future.body.id}`).set(as('agency')).expect(200);
    expect(after.body.status).toBe('Confirmed');
  });

  it('refuses a start more than MAX_BOOKING_ADVANCE_DAYS ahead with a 400 naming the field', async () => {
    const before = await countBookings();
    const response = await book(
      'renter',
      bookingInput(car, '2999-01-01T10:00:00.000Z', '2999-01-03T10:00:00.000Z'),
    ).expect(400);
    expect(response.body.message).toBe('startDate must be at most 365 days ahead');
    await book('renter', bookingInput(car, day(400), day(401))).expect(400);
    expect(await countBookings()).toBe(before);
  });

  it('lets one renter hold at most MAX_OPEN_BOOKINGS_PER_RENTER open bookings, even when asked all at once', async () => {
    const before = await countBookings();
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => book('busy', bookingInput(car, day(60 + 3 * i), day(61 + 3 * i)))),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    const refused = responses.find((response) => response.status === 409)!;
    expect(refused.body.message).toBe(
      'You already hold 3 open bookings (Pending or Confirmed, not yet ended): at most 3',
    );
    expect(await countBookings()).toBe(before + 3);
    // A cancelled one frees a place; other renters are not concerned.
    const first = responses.find((response) => response.status === 201)!;
    await request(t.url).put(`/bookings/${first.body.id}`).set(as('busy')).send({ status: 'Cancelled' }).expect(200);
    await book('busy', bookingInput(car, day(100), day(101))).expect(201);
    await book('renter', bookingInput(car, day(110), day(111))).expect(201);
  });
});
