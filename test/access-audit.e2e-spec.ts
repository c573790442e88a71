import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { day, started } from './support/dates.js';
import { openSse } from './support/sse.js';
import { signToken, TOKEN_MODE } from './support/tokens.js';
import { openWs } from './support/ws.js';

interface AuditRow {
  actorSub: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  requestId: string | null;
  clientRequestId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The holes a security review found at the seams of access, audit and identity (issue 22), each
 * tried from the side that must be refused, in token mode (and open mode for the Host rule).
 */
describe('One access layer, one audit path, one identity', () => {
  let t: TestApp;
  let agencyA: string;
  let agencyB: string;
  let carA: string;
  let carB: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const api = () => request(t.url);
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    withClient(t.databaseUrl, async (client) => (await client.query(text, params)).rows as T[]);
  const trail = async (query = '') =>
    (await api().get(`/audit?limit=100${query}`).set(as('admin')).expect(200)).body as AuditRow[];
  const book = async (who: string, car: string, start: string, end: string) =>
    (
      await api()
        .post('/bookings')
        .set(as(who))
        .send(bookingInput(car, start, end))
        .expect(201)
    ).body as {
      id: string;
    };
  const setStatus = (who: string, id: string, body: object) => api().put(`/bookings/${id}`).set(as(who)).send(body);

  beforeAll(async () => {
    t = await createTestApp(TOKEN_MODE);
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin', name: 'Nadia' });
    agencyA = (await api().post('/agencies').set(as('admin')).send({ name: 'Atlas' }).expect(201)).body.id;
    agencyB = (await api().post('/agencies').set(as('admin')).send({ name: 'Bravo' }).expect(201)).body.id;
    tokens.A = await signToken({ sub: 'clerk-a', role: 'agency', agency_id: agencyA });
    tokens.B = await signToken({ sub: 'clerk-b', role: 'agency', agency_id: agencyB });
    tokens.r1 = await signToken({ sub: 'renter-a', role: 'renter', name: 'Youssef' });
    tokens.r2 = await signToken({ sub: 'renter-e', role: 'renter', name: 'Salma' });
    // The same sub as renter-a, in other roles: the same person acting as an agency or an admin.
    tokens.asAgency = await signToken({ sub: 'renter-a', role: 'agency', agency_id: agencyA });
    tokens.asAdmin = await signToken({ sub: 'renter-a', role: 'admin' });
    carA = (
      await api()
        .post('/cars')
        .set(as('A'))
        .send(carInput({ make: 'Toyota' }))
        .expect(201)
    ).body.id;
    carB = (
      await api()
        .post('/cars')
        .set(as('B'))
        .send(carInput({ make: 'Kia' }))
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  describe('the audit trail (1, 11)', () => {
    it('records every write of the admin team and every change of status or money, with both request ids', async () => {
      const before = (await trail()).length;
      const agency = await api()
        .post('/agencies')
        .set(as('admin'))
        .set('X-Request-Id', 'client-chosen-1')
        .send({ name: 'Casa' })
        .expect(201);
      await api().patch(`/agencies/${agency.body.id}`).set(as('admin')).send({ city: 'Casablanca' }).expect(200);
      const car = await api()
        .post('/cars')
        .set(as('admin'))
        .send(carInput({ agencyId: agencyA }))
        .expect(201);
      await api().patch(`/cars/${car.body.id}`).set(as('admin')).send({ pricePerDay: 55 }).expect(200);
      await api().delete(`/cars/${car.body.id}`).set(as('admin')).expect(200);
      const booking = await book('r1', carA, day(40), day(42));
      await setStatus('A', booking.id, { isPaid: true }).expect(200);
      await api()
        .post('/reviews')
        .set(as('admin'))
        .send({ carId: carA, renterId: 'x', renterName: 'Phone review', rating: 4 })
        .expect(201);
      const complaint = await api()
        .post('/complaints')
        .set(as('r1'))
        .send({ bookingId: booking.id, category: 'billing', description: 'Charged twice' })
        .expect(201);
      await api()
        .post(`/complaints/${complaint.body.id}/messages`)
        .set(as('admin'))
        .send({ content: 'Check the card terminal', internal: true })
        .expect(201);
      const clerk = await openWs(t.url, `/ws/chat?access_token=${tokens.A}`);
      const admin = await openWs(t.url, `/ws/chat?access_token=${tokens.admin}`);
      clerk.send({ id: 'm-1', sender: 'agency', content: 'Hello' });
      await admin.waitForFrames(1);
      await Promise.all([clerk.close(), admin.close()]);
      await api().post(`/chat/conversations/${agencyA}/read`).set(as('admin')).send({}).expect(200);

      const all = await trail();
      const entries = all.slice(0, all.length - before).reverse();
      expect(entries.map((entry) => [entry.action, entry.entityType, entry.actorSub])).toEqual([
        ['agency.create', 'agency', 'admin-1'],
        ['agency.update', 'agency', 'admin-1'],
        ['car.create', 'car', 'admin-1'],
        ['car.update', 'car', 'admin-1'],
        ['car.remove', 'car', 'admin-1'],
        ['booking.update', 'booking', 'clerk-a'],
        ['review.create', 'review', 'admin-1'],
        ['complaint.message', 'complaint', 'admin-1'],
        ['conversation.read', 'conversation', 'admin-1'],
      ]);
      const [created, updated, , priced, removed, paid] = entries;
      expect(created).toMatchObject({ entityId: agency.body.id, before: null, after: { name: 'Casa' } });
      // The client's X-Request-Id is kept beside the server's own id, never instead of it.
      expect(created.clientRequestId).toBe('client-chosen-1');
      expect(created.requestId).toMatch(UUID);
      expect(updated).toMatchObject({ before: { city: null }, after: { city: 'Casablanca' }, clientRequestId: null });
      expect(priced).toMatchObject({ before: { price_per_day: 40 }, after: { price_per_day: 55 } });
      expect(removed.after).toHaveProperty('deleted_at');
      expect(paid).toMatchObject({ actorRole: 'agency', before: { is_paid: false }, after: { is_paid: true } });
      for (const entry of entries) expect(entry.requestId).toMatch(UUID);
    });

    it('leaves nothing for a refused change, and cannot be emptied, changed or written by the API', async () => {
      const before = (await trail()).length;
      await api().patch(`/agencies/${agencyA}/status`).set(as('admin')).send({ status: 'suspended' }).expect(400);
      await api()
        .post('/cars')
        .set(as('admin'))
        .send(carInput({ agencyId: agencyA, year: 1800 }))
        .expect(400);
      expect((await trail()).length).toBe(before);

      // Not even the owner of the database: the trail refuses TRUNCATE as it refuses UPDATE and DELETE.
      await expect(sql('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      await expect(sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      // The API's own connections act as a role that owns no table and may only read and append.
      const dataSource = t.app.get(DataSource);
      expect((await dataSource.query<{ user: string }[]>('SELECT current_user AS user'))[0].user).toBe(
        'car_rental_app',
      );
      await expect(dataSource.query('TRUNCATE audit_log')).rejects.toThrow(/permission denied/);
      await expect(dataSource.query('ALTER TABLE audit_log DISABLE TRIGGER ALL')).rejects.toThrow(/owner/);
      expect((await trail()).length).toBe(before);
    });
  });

  describe('one identity and one scope for notifications (2, 3)', () => {
    it("never shows a renter's own notifications to a token of another role with the same sub, on any route", async () => {
      const booking = await book('r1', carA, day(50), day(51));
      await setStatus('A', booking.id, { status: 'Confirmed' }).expect(200); // renter-a is told (their own feed)
      const PRIVATE = 'Your booking of';
      const mine = (await api().get('/notifications').set(as('r1')).expect(200)).body as { message: string }[];
      expect(mine.map((n) => n.message)).toEqual([expect.stringContaining(PRIVATE)]);
      const own = await openSse(`${t.url}/notifications/sse?access_token=${tokens.r1}`, { 'Last-Event-ID': '0' });
      try {
        const replayed = await own.waitForEvents(1);
        expect(replayed.map((event) => JSON.parse(event.data).message)).toEqual([expect.stringContaining(PRIVATE)]);
      } finally {
        own.close();
      }

      for (const [index, who] of ['asAgency', 'asAdmin'].entries()) {
        const listed = await api().get('/notifications').set(as(who)).expect(200);
        const rest = listed.body as { message: string }[];
        expect(rest).toHaveLength(Number(listed.headers['x-total-count']));
        expect(rest.map((n) => n.message)).not.toContainEqual(expect.stringContaining(PRIVATE));
        const stream = await openSse(`${t.url}/notifications/sse?access_token=${tokens[who]}`, {
          'Last-Event-ID': '0',
        });
        try {
          // A sentinel the token does see, raised after the replay: everything before it has arrived.
          const sentinel = await book('r2', carA, day(60 + 2 * index), day(61 + 2 * index));
          const events = await stream.waitForEvents(rest.length + 1);
          const data = events.map((event) => JSON.parse(event.data) as { data?: { booking?: { id: string } } });
          expect(data.at(-1)?.data?.booking?.id).toBe(sentinel.id);
          expect(events.map((event) => JSON.parse(event.data).message)).not.toContainEqual(
            expect.stringContaining(PRIVATE),
          );
        } finally {
          stream.close();
        }
        const read = await api().post('/notifications/read-all').set(as(who)).expect(200);
        expect(read.body).toEqual({ success: true });
      }
      // Read marks of the other roles did not touch renter-a's own.
      const still = (await api().get('/notifications?unread=true').set(as('r1')).expect(200)).body as unknown[];
      expect(still).toHaveLength(1);
    });

    it('keeps one account per issuer and sub, answering /users/me in the role of the token presented', async () => {
      expect((await api().get('/users/me').set(as('r1')).expect(200)).body).toMatchObject({ role: 'renter' });
      expect((await api().get('/users/me').set(as('asAgency')).expect(200)).body).toMatchObject({
        role: 'agency',
        agencyId: agencyA,
      });
      expect((await api().get('/users/me').set(as('r1')).expect(200)).body).toMatchObject({
        role: 'renter',
        agencyId: null,
      });
      const rows = await sql<{ issuer: string }>(`SELECT issuer FROM users WHERE sub = 'renter-a'`);
      expect(rows).toEqual([{ issuer: '' }]);
      // Another issuer's renter-a is someone else: its own row, not suspended with the first.
      const elsewhere = await signToken({ sub: 'renter-a', role: 'renter', iss: 'https://other.example' });
      await api().get('/users/me').set('Authorization', `Bearer ${elsewhere}`).expect(200);
      await api()
        .patch('/users/renter-a/status')
        .set(as('admin'))
        .send({ status: 'suspended', reason: 'x' })
        .expect(409);
      await api()
        .patch('/users/renter-a/status?issuer=https://other.example')
        .set(as('admin'))
        .send({ status: 'suspended', reason: 'Chargebacks' })
        .expect(200);
      await api().get('/users/me').set('Authorization', `Bearer ${elsewhere}`).expect(403);
      await api().get('/users/me').set(as('r1')).expect(200);
      await api()
        .patch('/users/renter-a/status?issuer=https://other.example')
        .set(as('admin'))
        .send({ status: 'active' })
        .expect(200);
    });

    it('refuses a claim over its limit instead of cutting it (two subs would merge)', async () => {
      const long = 'x'.repeat(200);
      const first = await signToken({ sub: `${long}1`, role: 'renter' });
      const refused = await api().get('/bookings').set('Authorization', `Bearer ${first}`).expect(401);
      expect(refused.body.message).toBe("The token's sub claim is longer than 200 characters");
      const fits = await signToken({ sub: long, role: 'renter' });
      await api().get('/bookings').set('Authorization', `Bearer ${fits}`).expect(200);
      const name = await signToken({ sub: 'renter-n', role: 'renter', name: 'n'.repeat(101) });
      await api().get('/bookings').set('Authorization', `Bearer ${name}`).expect(401);
    });
  });

  describe('reviews (5, 6)', () => {
    it("does not let the admin team write a verified review, nor one in a renter's name", async () => {
      const { start, end } = started();
      const toyota = await book('r2', carA, start, end);
      await setStatus('A', toyota.id, { status: 'Confirmed' }).expect(200);
      await setStatus('A', toyota.id, { status: 'Completed' }).expect(200);
      const forged = await api()
        .post('/reviews')
        .set(as('admin'))
        .send({ carId: carB, renterId: 'renter-e', renterName: 'Salma', rating: 1, bookingId: toyota.id })
        .expect(400);
      expect(forged.body.message).toMatch(/bookingId/);
      const byAdmin = await api()
        .post('/reviews')
        .set(as('admin'))
        .send({ carId: carB, renterId: 'renter-e', renterName: 'From a call', rating: 3 })
        .expect(201);
      expect(byAdmin.body).toMatchObject({ renterId: 'admin-1', bookingId: null });
      // A renter's booking makes a review of its own car only.
      await api()
        .post('/reviews')
        .set(as('r2'))
        .send({ carId: carB, renterId: 'x', renterName: 'x', rating: 1, bookingId: toyota.id })
        .expect(403);
      const own = await api()
        .post('/reviews')
        .set(as('r2'))
        .send({ carId: carA, renterId: 'x', renterName: 'x', rating: 5, bookingId: toyota.id })
        .expect(201);
      expect(own.body).toMatchObject({ renterId: 'renter-e', bookingId: toyota.id });
    });

    it("hides a hidden agency's reviews on every route, but not from the agency and the admin team", async () => {
      const review = await api()
        .post('/reviews')
        .set(as('admin'))
        .send({ carId: carB, renterId: 'x', renterName: 'Visitor', rating: 4 })
        .expect(201);
      expect((await api().get(`/reviews?carId=${carB}`).expect(200)).body.length).toBeGreaterThan(0);
      await api().patch(`/agencies/${agencyB}/status`).set(as('admin')).send({ status: 'pending' }).expect(200);
      try {
        await api().get(`/cars/${carB}`).expect(404);
        expect((await api().get(`/reviews?carId=${carB}`).expect(200)).body).toEqual([]);
        await api().get(`/reviews/${review.body.id}`).expect(404);
        await api().get(`/reviews/${review.body.id}`).set(as('r1')).expect(404);
        expect((await api().get('/reviews').set(as('r1')).expect(200)).body).not.toContainEqual(
          expect.objectContaining({ carId: carB }),
        );
        await api().get(`/reviews/${review.body.id}`).set(as('B')).expect(200);
        await api().get(`/reviews/${review.body.id}`).set(as('admin')).expect(200);
      } finally {
        await api().patch(`/agencies/${agencyB}/status`).set(as('admin')).send({ status: 'active' }).expect(200);
      }
      await api().get(`/reviews/${review.body.id}`).expect(200);
    });
  });

  describe('standing (7)', () => {
    it("refuses a renter's booking on a suspended agency's car without the admin team's reason", async () => {
      await api()
        .patch(`/agencies/${agencyB}/status`)
        .set(as('admin'))
        .send({ status: 'suspended', reason: 'Unpaid insurance premium' })
        .expect(200);
      try {
        const refused = await api()
          .post('/bookings')
          .set(as('r1'))
          .send(bookingInput(carB, day(5), day(6)))
          .expect(409);
        expect(refused.body.message).toBe('This car cannot be booked at the moment');
        expect(JSON.stringify(refused.body)).not.toContain('premium');
        // The agency itself still reads its reason.
        const own = await api().patch(`/cars/${carB}`).set(as('B')).send({ pricePerDay: 1 }).expect(403);
        expect(own.body.message).toContain('Unpaid insurance premium');
      } finally {
        await api().patch(`/agencies/${agencyB}/status`).set(as('admin')).send({ status: 'active' }).expect(200);
      }
    });
  });

  describe('complaints (8)', () => {
    it('keeps settled complaints read-only, takes only admins as assignees, and shows parties no triage', async () => {
      const booking = await book('r1', carA, day(70), day(71));
      const filed = await api()
        .post('/complaints')
        .set(as('r1'))
        .send({ bookingId: booking.id, category: 'other', description: 'Rude' })
        .expect(201);
      const id = filed.body.id as string;
      const triage = (body: object) => api().patch(`/complaints/${id}`).set(as('admin')).send(body);
      const bad = await triage({ assignee: 'renter-a' }).expect(400);
      expect(bad.body.message).toMatch(/assignee/);
      await triage({ assignee: 'anyone at all' }).expect(400);
      await triage({ status: 'in_review', assignee: 'admin-1', priority: 'high' }).expect(200);
      const seen = (await api().get(`/complaints/${id}`).set(as('r1')).expect(200)).body;
      expect(seen).not.toHaveProperty('priority');
      expect(seen).not.toHaveProperty('assignee');
      expect((await api().get(`/complaints/${id}`).set(as('A')).expect(200)).body).not.toHaveProperty('assignee');
      expect((await api().get(`/complaints/${id}`).set(as('admin')).expect(200)).body).toMatchObject({
        priority: 'high',
        assignee: 'admin-1',
      });
      await triage({ status: 'rejected' }).expect(200);
      const notices = async () =>
        Number((await api().get('/notifications').set(as('A')).expect(200)).headers['x-total-count']);
      const before = await notices();
      const late = await api().post(`/complaints/${id}/messages`).set(as('r1')).send({ content: 'Hello?' }).expect(409);
      expect(late.body.message).toBe('This complaint is rejected: its thread is closed');
      await api().post(`/complaints/${id}/messages`).set(as('A')).send({ content: 'x' }).expect(409);
      await api()
        .post(`/complaints/${id}/messages`)
        .set(as('admin'))
        .send({ content: 'x', internal: true })
        .expect(409);
      expect(await notices()).toBe(before);
    });
  });

  describe('input (9, 10, 12)', () => {
    it('takes fullwidth ％ ＿ ＼ in q as text, not as wildcards', async () => {
      for (const q of ['％％', '＿', '＼', '%', '_']) {
        expect(
          (
            await api()
              .get(`/cars?q=${encodeURIComponent(q)}`)
              .expect(200)
          ).body,
        ).toEqual([]);
      }
      expect((await api().get('/cars?q=kia').expect(200)).body).toEqual([expect.objectContaining({ id: carB })]);
    });

    it('drops a chat frame with an out-of-range timestamp as invalid, and the socket goes on', async () => {
      const clerk = await openWs(t.url, `/ws/chat?access_token=${tokens.B}`);
      const admin = await openWs(t.url, `/ws/chat?access_token=${tokens.admin}`);
      try {
        clerk.send({ content: 'x', timestamp: 8_640_000_000_000_000 });
        clerk.send({ content: 'x', timestamp: '+275760-09-13T00:00:00.000Z' });
        clerk.send({ id: 'sentinel', content: 'After the bad ones' });
        const frames = await admin.waitForFrames(1);
        expect(frames).toEqual([expect.objectContaining({ clientId: 'sentinel' })]);
        expect(clerk.closeCode).toBeNull();
      } finally {
        await Promise.all([clerk.close(), admin.close()]);
      }
    });

    it('refuses a booking whose period has already ended, naming endDate', async () => {
      const hour = 3_600_000;
      const start = new Date(Date.now() - 22 * hour).toISOString();
      const end = new Date(Date.now() - hour).toISOString();
      const refused = await api()
        .post('/bookings')
        .set(as('r1'))
        .send(bookingInput(carA, start, end))
        .expect(400);
      expect(refused.body.message).toMatch(/^endDate/);
    });
  });

  describe('Idempotency-Key (13)', () => {
    it('commits the stored answer with the write: a failed answer writes nothing, and the retry books once', async () => {
      const key = 'answer-fails';
      await sql(`CREATE FUNCTION fail_answer() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF NEW.key = '${key}' AND NEW.status_code IS NOT NULL THEN RAISE EXCEPTION 'answer lost' USING ERRCODE = 'serialization_failure'; END IF;
                 RETURN NEW; END $$`);
      await sql(
        `CREATE TRIGGER fail_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION fail_answer()`,
      );
      const body = bookingInput(carA, day(80), day(81));
      const count = async () =>
        (await sql<{ n: number }>('SELECT count(*)::int AS n FROM bookings WHERE start_date = $1', [day(80)]))[0].n;
      try {
        // The write's transaction fails at its last statement (a 503: retry): nothing of it is kept.
        await api().post('/bookings').set(as('r1')).set('Idempotency-Key', key).send(body).expect(503);
        expect(await count()).toBe(0);
      } finally {
        await sql('DROP TRIGGER fail_answer ON idempotency_keys');
        await sql('DROP FUNCTION fail_answer()');
      }
      const retry = await api().post('/bookings').set(as('r1')).set('Idempotency-Key', key).send(body).expect(201);
      const replay = await api().post('/bookings').set(as('r1')).set('Idempotency-Key', key).send(body).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.id).toBe(retry.body.id);
      expect(await count()).toBe(1);
    });

    it('frees a key left in progress by a request that died once its short lease is over', async () => {
      const body = bookingInput(carA, day(90), day(91));
      const claim = async (key: string, leaseSeconds: number) => {
        await api().post('/bookings').set(as('r1')).set('Idempotency-Key', key).send(body).expect(201);
        // What a crash between the claim and the commit leaves: a claim without an answer.
        await sql(
          `UPDATE idempotency_keys SET status_code = NULL, body = NULL, lease_until = now() + make_interval(secs => $2)
            WHERE key = $1`,
          [key, leaseSeconds],
        );
        await sql(`DELETE FROM booking_changes WHERE booking_id IN (SELECT id FROM bookings WHERE start_date = $1)`, [
          day(90),
        ]);
        await sql(`DELETE FROM bookings WHERE start_date = $1`, [day(90)]);
      };
      await claim('held', 60);
      const busy = await api().post('/bookings').set(as('r1')).set('Idempotency-Key', 'held').send(body).expect(409);
      expect(busy.body.message).toMatch(/still in progress/);
      await claim('lapsed', -1);
      await api().post('/bookings').set(as('r1')).set('Idempotency-Key', 'lapsed').send(body).expect(201);
    });
  });
});

describe('Open mode answers only Host names of this machine (4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://dashboard.example.com' });
  });
  afterAll(() => t.close());

  it('refuses a request addressed to another host (DNS rebinding), REST and socket alike', async () => {
    const refused = await request(t.url).get('/bookings').set('Host', 'rebind.evil.example:3000').expect(403);
    expect(refused.body.message).toMatch(/^Host rebind\.evil\.example:3000 is not this machine/);
    for (const host of ['localhost:3000', '127.0.0.1', '127.4.5.6:80', '[::1]:3000', 'dashboard.example.com']) {
      await request(t.url).get('/bookings').set('Host', host).expect(200);
    }
    await request(t.url).get('/health').set('Host', 'rebind.evil.example').expect(200);
    await expect(openWs(t.url, '/ws/chat', { headers: { Host: 'rebind.evil.example' } })).rejects.toThrow(/403/);
    const socket = await openWs(t.url, '/ws/chat', { headers: { Host: 'localhost' } });
    await socket.close();
  });
});
