import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { BookingHolds } from '../src/bookings/booking-holds.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { day } from './support/dates.js';
import { signToken, TEST_SECRET } from './support/tokens.js';
import { waitFor } from './support/wait.js';

const HOLD = {
  AUTH_JWT_SECRET: TEST_SECRET,
  BOOKING_HOLD_MINUTES: '1',
  BOOKING_HOLD_CHECK_SECONDS: '1',
  MAX_OPEN_BOOKINGS_PER_RENTER: '100',
};

/**
 * Holds of one minute on two API processes sharing a database: a Pending booking nobody confirmed
 * is cancelled once, by one of them, soon after its deadline; a confirmed one is left alone.
 */
describe('Holds that expire (BOOKING_HOLD_MINUTES=1, two processes)', () => {
  let a: TestApp;
  let b: TestApp;
  let car: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    withClient(a.databaseUrl, async (client) => (await client.query(text, params)).rows as T[]);
  /** Moves a booking's creation back, so that its one-minute hold ends in `inMs`. */
  const holdEndsIn = (ids: string[], inMs: number) =>
    sql(`UPDATE bookings SET created_at = now() - make_interval(secs => $2) WHERE id = ANY($1)`, [
      ids,
      (60_000 - inMs) / 1000,
    ]);
  const statusOf = async (id: string) =>
    (await sql<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [id]))[0].status;

  beforeAll(async () => {
    a = await createTestApp(HOLD);
    b = await createTestApp(HOLD, a.databaseUrl);
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin' });
    const agency = (await request(a.url).post('/agencies').set(as('admin')).send({ name: 'Atlas' }).expect(201)).body
      .id;
    tokens.agency = await signToken({ sub: 'clerk', role: 'agency', agency_id: agency });
    tokens.renter = await signToken({ sub: 'renter-1', role: 'renter', name: 'Youssef' });
    tokens.other = await signToken({ sub: 'renter-2', role: 'renter', name: 'Salma' });
    car = (await request(a.url).post('/cars').set(as('agency')).send(carInput()).expect(201)).body.id;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('cancels an unconfirmed hold once, by the system, tells both sides, and frees the car', async () => {
    const book = async (app: TestApp, offset: number) =>
      (
        await request(app.url)
          .post('/bookings')
          .set(as('renter'))
          .send(bookingInput(car, day(offset), day(offset + 1)))
          .expect(201)
      ).body.id as string;
    const expiring = [await book(a, 1), await book(b, 3), await book(a, 5)];
    const confirmed = await book(b, 7);
    await holdEndsIn([...expiring, confirmed], 2000);
    await request(a.url).put(`/bookings/${confirmed}`).set(as('agency')).send({ status: 'Confirmed' }).expect(200);
    expect(await statusOf(expiring[0])).toBe('Pending'); // its deadline has not come yet

    for (const id of expiring) {
      await waitFor(async () => ((await statusOf(id)) === 'Cancelled' ? true : undefined), 30_000, `${id} to expire`);
    }
    expect(await statusOf(confirmed)).toBe('Confirmed');

    // Once each: one history entry, one notification for the agency and one for the renter.
    const entries = await sql<{
      booking_id: string;
      actor_sub: string;
      actor_role: string;
      reason: string;
      late_ms: number;
    }>(
      `SELECT c.booking_id, c.actor_sub, c.actor_role, c.reason,
              (extract(epoch FROM c.at - (b.created_at + interval '1 minute')) * 1000)::float8 AS late_ms
         FROM booking_changes c JOIN bookings b ON b.id = c.booking_id
        WHERE c.status_to = 'Cancelled' ORDER BY c.id`,
    );
    expect(entries.map((e) => e.booking_id).sort()).toEqual([...expiring].sort());
    for (const entry of entries) {
      expect(entry).toMatchObject({ actor_sub: 'system', actor_role: 'system', reason: 'hold expired' });
      expect(entry.late_ms).toBeGreaterThanOrEqual(0);
      expect(entry.late_ms).toBeLessThan(30_000);
    }
    const agencyTold = (await request(b.url).get('/notifications').set(as('agency')).expect(200)).body as {
      message: string;
      data: { booking: { id: string } };
    }[];
    const renterTold = (await request(a.url).get('/notifications').set(as('renter')).expect(200))
      .body as typeof agencyTold;
    for (const told of [agencyTold, renterTold]) {
      const expired = told.filter((n) => n.message.includes('(hold expired)')).map((n) => n.data.booking.id);
      expect(expired.sort()).toEqual([...expiring].sort());
    }
    const history = await request(a.url).get(`/bookings/${expiring[0]}/history`).set(as('renter')).expect(200);
    expect(history.body.at(-1)).toMatchObject({ actorRole: 'system', statusTo: 'Cancelled', reason: 'hold expired' });

    // The car is free again for those dates.
    await request(b.url)
      .post('/bookings')
      .set(as('other'))
      .send(bookingInput(car, day(1), day(2)))
      .expect(201);
  });

  it('cancels each expired hold exactly once however many sweeps run at the same moment', async () => {
    const ids: string[] = [];
    for (let offset = 100; offset < 124; offset += 2) {
      const body = bookingInput(car, day(offset), day(offset + 1));
      ids.push((await request(a.url).post('/bookings').set(as('other')).send(body).expect(201)).body.id);
    }
    await holdEndsIn(ids, -1000);
    const sweeps = [a, b, a, b, a, b].map((app) => app.app.get(BookingHolds).check());
    const cancelled = (await Promise.all(sweeps)).reduce((sum, count) => sum + count, 0);
    const [{ entries, notices }] = await sql<{ entries: number; notices: number }>(
      `SELECT (SELECT count(*)::int FROM booking_changes WHERE booking_id = ANY($1) AND actor_role = 'system') AS entries,
              (SELECT count(*)::int FROM notifications WHERE data->'booking'->>'id' = ANY($1::text[])
                 AND message LIKE '%(hold expired)') AS notices`,
      [ids],
    );
    // The periodic sweeps may have taken some; every one was cancelled once, each side told once.
    expect(cancelled).toBeLessThanOrEqual(ids.length);
    expect(entries).toBe(ids.length);
    expect(notices).toBe(2 * ids.length);
  });

  it('cancels a hold that expired while no process was running, once one starts', async () => {
    const id = (
      await request(a.url)
        .post('/bookings')
        .set(as('renter'))
        .send(bookingInput(car, day(20), day(21)))
        .expect(201)
    ).body.id as string;
    await a.close();
    await b.close();
    await holdEndsIn([id], -120_000); // it ended two minutes ago, while nothing ran
    expect(await statusOf(id)).toBe('Pending');
    a = await createTestApp(HOLD, a.databaseUrl);
    b = await createTestApp(HOLD, a.databaseUrl);
    await waitFor(async () => ((await statusOf(id)) === 'Cancelled' ? true : undefined), 30_000, 'the hold to expire');
    const [{ count }] = await sql<{ count: string }>(
      `SELECT count(*) FROM booking_changes WHERE booking_id = $1 AND actor_role = 'system'`,
      [id],
    );
    expect(count).toBe('1');
  });
});
