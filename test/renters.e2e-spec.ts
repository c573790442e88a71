import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput, reviewInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { day, started } from './support/dates.js';
import { openSse } from './support/sse.js';
import { signToken, TOKEN_MODE } from './support/tokens.js';

interface Notification {
  id: string;
  title: string;
  message: string;
  data: Record<string, unknown> | null;
}

/**
 * The renter's side in token mode, with two renters (r1, r2) and two agencies (A, B): every "only
 * mine" rule is tried from the other side.
 */
describe('Token mode: renters as users', () => {
  let t: TestApp;
  let agencyA: string;
  let agencyB: string;
  let carA: string;
  let carB: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const api = () => request(t.url);
  const notifications = async (who: string): Promise<Notification[]> =>
    (await api().get('/notifications').set(as(who)).expect(200)).body as Notification[];
  /** A booking of `car` by renter `who`, with their own token. */
  const book = async (who: string, car: string, start = day(1), end = day(3)) =>
    (
      await api()
        .post('/bookings')
        .set(as(who))
        .send(bookingInput(car, start, end))
        .expect(201)
    ).body as {
      id: string;
      renter: { id: string };
    };
  const setStatus = (who: string, id: string, body: object) => api().put(`/bookings/${id}`).set(as(who)).send(body);
  /** A Completed booking of `car` by `who` (its period began an hour ago), ready to review. */
  const completed = async (who: string, car: string, agency: string) => {
    const { start, end } = started();
    const booking = await book(who, car, start, end);
    await setStatus(agency, booking.id, { status: 'Confirmed' }).expect(200);
    await setStatus(agency, booking.id, { status: 'Completed' }).expect(200);
    return booking;
  };

  beforeAll(async () => {
    t = await createTestApp(TOKEN_MODE);
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin', name: 'Admin' });
    agencyA = (await api().post('/agencies').set(as('admin')).send({ name: 'Atlas', city: 'Rabat' }).expect(201)).body
      .id;
    agencyB = (await api().post('/agencies').set(as('admin')).send({ name: 'Bravo' }).expect(201)).body.id;
    tokens.A = await signToken({ sub: 'clerk-a', role: 'agency', agency_id: agencyA, name: 'Atlas desk' });
    tokens.B = await signToken({ sub: 'clerk-b', role: 'agency', agency_id: agencyB });
    tokens.r1 = await signToken({ sub: 'renter-1', role: 'renter', name: 'Youssef', email: 'y@example.com' });
    tokens.r2 = await signToken({ sub: 'renter-2', role: 'renter', name: 'Salma', email: 's@example.com' });
    carA = (await api().post('/cars').set(as('A')).send(carInput()).expect(201)).body.id;
    carB = (await api().post('/cars').set(as('B')).send(carInput()).expect(201)).body.id;
  });
  afterAll(() => t.close());

  describe('accounts', () => {
    it('keeps one users row per identity seen, from its token, without a write per request', async () => {
      await api().get('/bookings').set(as('r1')).expect(200);
      const me = await api().get('/users/me').set(as('r1')).expect(200);
      expect(me.body).toMatchObject({
        sub: 'renter-1',
        role: 'renter',
        agencyId: null,
        name: 'Youssef',
        email: 'y@example.com',
        status: 'active',
      });
      const before = await withClient(
        t.databaseUrl,
        async (c) => (await c.query(`SELECT xmin FROM users WHERE sub = 'renter-1'`)).rows,
      );
      for (let i = 0; i < 5; i++) await api().get('/bookings').set(as('r1')).expect(200);
      const after = await withClient(
        t.databaseUrl,
        async (c) => (await c.query(`SELECT xmin FROM users WHERE sub = 'renter-1'`)).rows,
      );
      expect(after).toEqual(before); // the row was not rewritten
      const agency = await api().get('/users/me').set(as('A')).expect(200);
      expect(agency.body).toMatchObject({ sub: 'clerk-a', role: 'agency', agencyId: agencyA });
    });
  });

  describe("the renter's own feed", () => {
    it("tells a renter of their booking's changes, on their feed and stream only", async () => {
      const r1Stream = await openSse(`${t.url}/notifications/sse?access_token=${tokens.r1}`);
      const r2Stream = await openSse(`${t.url}/notifications/sse?access_token=${tokens.r2}`);
      const aStream = await openSse(`${t.url}/notifications/sse?access_token=${tokens.A}`);
      const bStream = await openSse(`${t.url}/notifications/sse?access_token=${tokens.B}`);
      try {
        expect(r1Stream.response.statusCode).toBe(200);
        const booking = await book('r1', carA, day(10), day(12));
        await setStatus('A', booking.id, { status: 'Confirmed' }).expect(200);

        const [confirmed] = await r1Stream.waitForEvents(1);
        expect(JSON.parse(confirmed.data)).toMatchObject({
          title: 'Booking Confirmed',
          type: 'BOOKING',
          data: { booking: { id: booking.id, status: 'Confirmed' } },
        });
        // The agency got its own two (new, updated), never the renter's.
        const agencyEvents = await aStream.waitForEvents(2);
        expect(agencyEvents.map((event) => JSON.parse(event.data).title)).toEqual(['New Booking', 'Booking Updated']);

        const r1List = await notifications('r1');
        expect(r1List.map((n) => n.title)).toEqual(['Booking Confirmed']);
        expect(await notifications('r2')).toEqual([]);
        expect((await notifications('A')).map((n) => n.title)).not.toContain('Booking Confirmed');
        expect((await notifications('admin')).map((n) => n.title)).not.toContain('Booking Confirmed');
        expect(await notifications('B')).toEqual([]);

        // Each marks only their own read.
        await api().post(`/notifications/${r1List[0].id}/read`).set(as('r2')).expect(404);
        await api().post(`/notifications/${r1List[0].id}/read`).set(as('A')).expect(404);
        const agencyOwn = (await notifications('A'))[0];
        await api().post(`/notifications/${agencyOwn.id}/read`).set(as('r1')).expect(404);
        await api().post('/notifications/read-all').set(as('r1')).expect(200);
        expect((await api().get('/notifications?unread=true').set(as('r1')).expect(200)).body).toEqual([]);
        expect((await api().get('/notifications?unread=true').set(as('A')).expect(200)).body.length).toBeGreaterThan(0);

        // Sentinels, one for each stream: what a stream was sent before its sentinel arrived is all it will
        // ever get of what came before, so a stray event would show here.
        const forR1 = await book('r1', carA, day(14), day(15));
        await setStatus('A', forR1.id, { status: 'Rejected' }).expect(200);
        const forR2 = await book('r2', carB, day(16), day(17));
        await setStatus('B', forR2.id, { status: 'Confirmed' }).expect(200);
        const titles = async (stream: typeof r1Stream, count: number) =>
          (await stream.waitForEvents(count)).map((event) => JSON.parse(event.data).title as string);
        expect(await titles(r1Stream, 2)).toEqual(['Booking Confirmed', 'Booking Rejected']);
        expect(await titles(aStream, 4)).toEqual(['New Booking', 'Booking Updated', 'New Booking', 'Booking Updated']);
        expect(await titles(r2Stream, 1)).toEqual(['Booking Confirmed']);
        expect(await titles(bStream, 2)).toEqual(['New Booking', 'Booking Updated']);
      } finally {
        for (const stream of [r1Stream, r2Stream, aStream, bStream]) stream.close();
      }
    });

    it('replays what a renter missed after Last-Event-ID, and only theirs', async () => {
      const booking = await book('r2', carB, day(20), day(21));
      const first = await openSse(`${t.url}/notifications/sse?access_token=${tokens.r2}`);
      await setStatus('B', booking.id, { status: 'Confirmed' }).expect(200);
      const [confirmed] = await first.waitForEvents(1);
      first.close();
      const other = await book('r1', carB, day(22), day(23));
      await setStatus('B', other.id, { status: 'Rejected' }).expect(200);
      await setStatus('B', booking.id, { status: 'Cancelled', reason: 'Car in repair' }).expect(200);
      const again = await openSse(`${t.url}/notifications/sse?access_token=${tokens.r2}`, {
        'Last-Event-ID': confirmed.id!,
      });
      try {
        const [cancelled] = await again.waitForEvents(1);
        expect(JSON.parse(cancelled.data)).toMatchObject({
          title: 'Booking Cancelled',
          message: expect.stringContaining('(Car in repair)'),
        });
        // A sentinel for r2, after the replay: r1's rejection, had it been replayed, would be before it.
        const later = await book('r2', carB, day(24), day(25));
        await setStatus('B', later.id, { status: 'Confirmed' }).expect(200);
        const events = await again.waitForEvents(2);
        expect(events.map((event) => JSON.parse(event.data).title)).toEqual(['Booking Cancelled', 'Booking Confirmed']);
      } finally {
        again.close();
      }
      expect((await notifications('r1')).map((n) => n.title)).toContain('Booking Rejected');
    });
  });

  describe('cancelling', () => {
    it('lets a renter cancel their own booking before it starts, with a reason in the history and for the agency', async () => {
      const booking = await book('r1', carA, day(30), day(31));
      await setStatus('r2', booking.id, { status: 'Cancelled' }).expect(404);
      await setStatus('r1', booking.id, { status: 'Cancelled', reason: 'x'.repeat(501) }).expect(400);
      const before = (await notifications('r1')).length;
      const done = await setStatus('r1', booking.id, { status: 'Cancelled', reason: 'Flight moved' }).expect(200);
      expect(done.body.status).toBe('Cancelled');
      const history = await api().get(`/bookings/${booking.id}/history`).set(as('r1')).expect(200);
      expect(history.body.at(-1)).toMatchObject({
        actorSub: 'renter-1',
        actorRole: 'renter',
        statusFrom: 'Pending',
        statusTo: 'Cancelled',
        reason: 'Flight moved',
      });
      const [told] = await notifications('A');
      expect(told.message).toContain('is now Cancelled (Flight moved)');
      expect(told.data).toMatchObject({ reason: 'Flight moved', booking: { id: booking.id } });
      expect(await notifications('r1')).toHaveLength(before); // not told of what they did themselves
    });

    it('refuses once the booking has started, and anything but cancelling', async () => {
      const { start, end } = started();
      const running = await book('r1', carA, start, end);
      const late = await setStatus('r1', running.id, { status: 'Cancelled' }).expect(409);
      expect(late.body.message).toMatch(/before it starts/);
      await setStatus('r1', running.id, { status: 'Confirmed' }).expect(403);
      const after = await api().get(`/bookings/${running.id}`).set(as('r1')).expect(200);
      expect(after.body.status).toBe('Pending');
      await setStatus('A', running.id, { status: 'Cancelled' }).expect(200);
    });
  });

  describe('agencies renters can see', () => {
    it('shows the public profile of an active agency, with its numbers', async () => {
      await api()
        .patch(`/agencies/${agencyA}`)
        .set(as('A'))
        .send({ phone: '+212 600', email: 'desk@atlas.ma' })
        .expect(200);
      const profile = await api().get(`/agencies/${agencyA}`).expect(200);
      expect(profile.body).toMatchObject({
        id: agencyA,
        name: 'Atlas',
        city: 'Rabat',
        phone: '+212 600',
        email: 'desk@atlas.ma',
        carCount: 1,
      });
      expect(profile.body.status).toBeUndefined(); // private fields stay private
      const own = await api().get(`/agencies/${agencyA}`).set(as('A')).expect(200);
      expect(own.body.status).toBe('active');
      await api().patch(`/agencies/${agencyA}`).set(as('B')).send({ city: 'Fes' }).expect(403);
      await api().patch(`/agencies/${agencyA}`).set(as('r1')).send({ city: 'Fes' }).expect(403);
      await api().patch(`/agencies/${agencyA}`).set(as('A')).send({ email: 'not-an-email' }).expect(400);
    });

    it('hides a pending or suspended agency and its cars from renters and anonymous callers, and refuses bookings on them', async () => {
      const pending = (
        await api().post('/agencies').set(as('admin')).send({ name: 'Pending Co', status: 'pending' }).expect(201)
      ).body.id;
      tokens.P = await signToken({ sub: 'clerk-p', role: 'agency', agency_id: pending });
      // A pending agency reads but writes nothing; the admin adds its first car.
      await api().post('/cars').set(as('P')).send(carInput()).expect(403);
      const car = (
        await api()
          .post('/cars')
          .set(as('admin'))
          .send(carInput({ make: 'Hidden', agencyId: pending }))
          .expect(201)
      ).body.id;
      for (const who of ['r1', 'B']) await api().get(`/agencies/${pending}`).set(as(who)).expect(404);
      await api().get(`/agencies/${pending}`).expect(404);
      expect((await api().get(`/agencies/${pending}`).set(as('P')).expect(200)).body.status).toBe('pending');
      expect((await api().get(`/agencies/${pending}`).set(as('admin')).expect(200)).body.status).toBe('pending');

      const makes = async (headers: Record<string, string>) =>
        ((await api().get('/cars').set(headers).expect(200)).body as { make: string }[]).map((c) => c.make);
      expect(await makes(as('r1'))).not.toContain('Hidden');
      expect(await makes({})).not.toContain('Hidden');
      expect(await makes(as('P'))).toEqual(['Hidden']);
      expect(await makes(as('admin'))).toContain('Hidden');
      await api().get(`/cars/${car}`).set(as('r1')).expect(404);
      const refused = await api()
        .post('/bookings')
        .set(as('r1'))
        .send(bookingInput(car, day(5), day(6)))
        .expect(409);
      expect(refused.body.message).toBe('This car cannot be booked at the moment');

      await api().patch(`/agencies/${pending}/status`).set(as('admin')).send({ status: 'active' }).expect(200);
      expect(await makes(as('r1'))).toContain('Hidden');
      await book('r1', car, day(5), day(6));
      await api().patch(`/agencies/${pending}/status`).set(as('admin')).send({ status: 'suspended' }).expect(400);
      await api()
        .patch(`/agencies/${pending}/status`)
        .set(as('admin'))
        .send({ status: 'suspended', reason: 'Expired insurance' })
        .expect(200);
      expect(await makes({})).not.toContain('Hidden');
      const told = (await notifications('P')).find((n) => n.title === 'Agency Status Changed');
      expect(told?.message).toContain('suspended');
      expect(told?.message).toContain('Expired insurance');
    });
  });

  describe('reviews', () => {
    it('lists, edits and removes a renter’s own reviews, the rating following', async () => {
      const car = (
        await api()
          .post('/cars')
          .set(as('A'))
          .send(carInput({ make: 'Rated' }))
          .expect(201)
      ).body.id;
      const b1 = await completed('r1', car, 'A');
      const b2 = await completed('r2', car, 'A');
      const mine = (
        await api()
          .post('/reviews')
          .set(as('r1'))
          .send(reviewInput(car, { bookingId: b1.id, rating: 5 }))
          .expect(201)
      ).body;
      const theirs = (
        await api()
          .post('/reviews')
          .set(as('r2'))
          .send(reviewInput(car, { bookingId: b2.id, rating: 3 }))
          .expect(201)
      ).body;
      const rating = async () => {
        const body = (await api().get(`/cars/${car}`).expect(200)).body;
        return [body.averageRating, body.reviewCount];
      };
      expect(await rating()).toEqual([4, 2]);

      const listed = await api().get('/reviews?mine=true').set(as('r1')).expect(200);
      expect(listed.body.map((r: { id: string }) => r.id)).toEqual([mine.id]);
      await api().get('/reviews?mine=true').set(as('A')).expect(403);

      await api().patch(`/reviews/${theirs.id}`).set(as('r1')).send({ rating: 1 }).expect(403);
      await api().patch(`/reviews/${mine.id}`).set(as('r1')).send({ rating: 6 }).expect(400);
      const edited = await api()
        .patch(`/reviews/${mine.id}`)
        .set(as('r1'))
        .send({ rating: 4, comment: 'Fine' })
        .expect(200);
      expect(edited.body).toMatchObject({ rating: 4, comment: 'Fine' });
      expect(await rating()).toEqual([3.5, 2]);

      await api().delete(`/reviews/${theirs.id}`).set(as('r1')).expect(403);
      await api().delete(`/reviews/${mine.id}`).set(as('r1')).expect(204);
      await api().get(`/reviews/${mine.id}`).expect(404);
      expect(await rating()).toEqual([3, 1]);

      // The admin moderates, with a reason kept beside the removed review.
      await api().delete(`/reviews/${theirs.id}`).set(as('admin')).expect(400);
      await api().delete(`/reviews/${theirs.id}?reason=Insults`).set(as('admin')).expect(204);
      expect(await rating()).toEqual([null, 0]);
      const kept = await withClient(
        t.databaseUrl,
        async (c) =>
          (await c.query('SELECT removed_by, removal_reason FROM reviews WHERE id = $1', [theirs.id])).rows[0],
      );
      expect(kept).toEqual({ removed_by: 'admin-1', removal_reason: 'Insults' });
    });

    it('closes editing after REVIEW_EDIT_DAYS', async () => {
      const car = (await api().post('/cars').set(as('A')).send(carInput()).expect(201)).body.id;
      const booking = await completed('r1', car, 'A');
      const review = (
        await api()
          .post('/reviews')
          .set(as('r1'))
          .send(reviewInput(car, { bookingId: booking.id }))
          .expect(201)
      ).body;
      await withClient(t.databaseUrl, (c) =>
        c.query(`UPDATE reviews SET created_at = now() - interval '31 days' WHERE id = $1`, [review.id]),
      );
      const late = await api().patch(`/reviews/${review.id}`).set(as('r1')).send({ rating: 1 }).expect(403);
      expect(late.body.message).toMatch(/30 days/);
      await api().delete(`/reviews/${review.id}`).set(as('r1')).expect(403);
    });

    it("lets the car's agency reply once, and tells the renter", async () => {
      const car = (await api().post('/cars').set(as('A')).send(carInput()).expect(201)).body.id;
      const booking = await completed('r2', car, 'A');
      const review = (
        await api()
          .post('/reviews')
          .set(as('r2'))
          .send(reviewInput(car, { bookingId: booking.id }))
          .expect(201)
      ).body;
      expect(review.reply).toBeNull();
      await api().post(`/reviews/${review.id}/reply`).set(as('B')).send({ comment: 'Not ours' }).expect(403);
      await api().post(`/reviews/${review.id}/reply`).set(as('r2')).send({ comment: 'Me' }).expect(403);
      await api().post(`/reviews/${review.id}/reply`).set(as('A')).send({ comment: '' }).expect(400);
      const replied = await api()
        .post(`/reviews/${review.id}/reply`)
        .set(as('A'))
        .send({ comment: 'Thank you!' })
        .expect(200);
      expect(replied.body.reply).toEqual({ comment: 'Thank you!', createdAt: expect.any(String) });
      await api().post(`/reviews/${review.id}/reply`).set(as('A')).send({ comment: 'Again' }).expect(409);
      expect((await api().get(`/reviews/${review.id}`).expect(200)).body.reply.comment).toBe('Thank you!');
      const [told] = await notifications('r2');
      expect(told).toMatchObject({ title: 'Reply to Your Review', message: expect.stringContaining('Thank you!') });
      expect((await notifications('r1')).map((n) => n.title)).not.toContain('Reply to Your Review');
    });
  });

  describe('a thread per booking', () => {
    it('carries messages between the renter and the agency only, each telling the other side', async () => {
      const booking = await book('r1', carA, day(40), day(41));
      const say = (who: string, content: string) =>
        api().post(`/bookings/${booking.id}/messages`).set(as(who)).send({ content });
      await say('r1', 'Can I pick it up at 8?').expect(201);
      await say('A', 'Yes, see you then').expect(201);
      await say('r2', 'Me too?').expect(404);
      await say('B', 'Hello').expect(404);
      await say('admin', 'Hi').expect(403);
      await say('r1', '   ').expect(400);

      for (const who of ['r1', 'A', 'admin']) {
        const thread = await api().get(`/bookings/${booking.id}/messages`).set(as(who)).expect(200);
        expect(thread.body.map((m: { authorRole: string; content: string }) => [m.authorRole, m.content])).toEqual([
          ['renter', 'Can I pick it up at 8?'],
          ['agency', 'Yes, see you then'],
        ]);
        expect(thread.headers['x-total-count']).toBe('2');
      }
      await api().get(`/bookings/${booking.id}/messages`).set(as('r2')).expect(404);
      await api().get(`/bookings/${booking.id}/messages`).set(as('B')).expect(404);

      const [toRenter] = await notifications('r1');
      expect(toRenter).toMatchObject({ title: 'New Message', message: expect.stringContaining('see you then') });
      const [toAgency] = await notifications('A');
      expect(toAgency).toMatchObject({ title: 'New Message', message: expect.stringContaining('pick it up at 8') });
      // Not in the dashboard's chat with the admin.
      const chat = await api().get('/chat/messages').set(as('A')).expect(200);
      expect(JSON.stringify(chat.body)).not.toContain('pick it up');
    });
  });
});
