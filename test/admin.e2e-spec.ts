import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput } from './support/builders.js';
import { createTestDatabase, withClient } from './support/database.js';
import { day } from './support/dates.js';
import { openSse } from './support/sse.js';
import { signToken, TOKEN_MODE } from './support/tokens.js';
import { waitFor } from './support/wait.js';
import { openWs } from './support/ws.js';

const SETTINGS = TOKEN_MODE;

interface Notification {
  title: string;
  message: string;
  agencyId: string | null;
  data?: Record<string, unknown>;
}

/**
 * The admin team's casework in token mode, on two API processes sharing a database (a, b); every
 * access rule is tried from the side that must be refused.
 */
describe("Token mode: the admin team's casework", () => {
  let a: TestApp;
  let b: TestApp;
  let agencyA: string;
  let agencyB: string;
  let carA: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const api = (app: TestApp = a) => request(app.url);
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    withClient(a.databaseUrl, async (client) => (await client.query(text, params)).rows as T[]);
  const auditCount = async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM audit_log'))[0].n);
  const notifications = async (who: string) =>
    (await api().get('/notifications').set(as(who)).expect(200)).body as Notification[];
  const book = async (who: string, car: string, offset: number) =>
    (
      await api()
        .post('/bookings')
        .set(as(who))
        .send(bookingInput(car, day(offset), day(offset + 1)))
        .expect(201)
    ).body as { id: string };

  beforeAll(async () => {
    a = await createTestApp(SETTINGS);
    b = await createTestApp(SETTINGS, a.databaseUrl);
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin', name: 'Nadia' });
    tokens.admin2 = await signToken({ sub: 'admin-2', role: 'admin' });
    agencyA = (await api().post('/agencies').set(as('admin')).send({ name: 'Atlas' }).expect(201)).body.id;
    agencyB = (await api().post('/agencies').set(as('admin')).send({ name: 'Bravo' }).expect(201)).body.id;
    tokens.A = await signToken({ sub: 'clerk-a', role: 'agency', agency_id: agencyA, name: 'Atlas desk' });
    tokens.B = await signToken({ sub: 'clerk-b', role: 'agency', agency_id: agencyB });
    tokens.r1 = await signToken({ sub: 'renter-1', role: 'renter', name: 'Youssef', email: 'y@example.com' });
    tokens.r2 = await signToken({ sub: 'renter-2', role: 'renter', name: 'Salma' });
    carA = (await api().post('/cars').set(as('A')).send(carInput()).expect(201)).body.id;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  describe('agency lifecycle', () => {
    it('approves, suspends and reinstates, each told to the agency live and audited; writes wait for active', async () => {
      const created = await api()
        .post('/agencies')
        .set(as('admin'))
        .send({
          name: 'Casa Cars',
          status: 'pending',
          legalName: 'Casa Cars SARL',
          registrationNumber: 'RC-1',
          city: 'Casablanca',
        })
        .expect(201);
      const id = created.body.id as string;
      expect(created.body).toMatchObject({ status: 'pending', legalName: 'Casa Cars SARL', city: 'Casablanca' });
      tokens.C = await signToken({ sub: 'clerk-c', role: 'agency', agency_id: id });
      expect((await api().get(`/agencies/${id}`).set(as('C')).expect(200)).body.status).toBe('pending');
      const refused = await api().post('/cars').set(as('C')).send(carInput()).expect(403);
      expect(refused.body.message).toBe('Your agency is pending: it may read but not change anything');
      // A pending agency completes its application's profile, and writes nothing else.
      await api().patch(`/agencies/${id}`).set(as('C')).send({ phone: '1' }).expect(200);

      for (const who of ['C', 'A', 'r1']) {
        await api().patch(`/agencies/${id}/status`).set(as(who)).send({ status: 'active' }).expect(403);
      }
      const stream = await openSse(`${b.url}/notifications/sse?access_token=${tokens.C}`);
      try {
        await api().patch(`/agencies/${id}/status`).set(as('admin')).send({ status: 'active' }).expect(200);
        const car = (
          await api()
            .post('/cars')
            .set(as('C'))
            .send(carInput({ make: 'Casa' }))
            .expect(201)
        ).body.id;
        await api().patch(`/agencies/${id}`).set(as('C')).send({ phone: '+212 522' }).expect(200);

        await api()
          .patch(`/agencies/${id}/status`)
          .set(as('admin'))
          .send({ status: 'suspended', reason: 'Insurance expired' })
          .expect(200);
        const write = await api().patch(`/cars/${car}`).set(as('C')).send({ pricePerDay: 1 }).expect(403);
        expect(write.body.message).toContain('suspended (Insurance expired)');
        await api().get(`/cars/${car}`).set(as('C')).expect(200); // still reads
        await api().get(`/cars/${car}`).expect(404); // out of the catalogue
        const booking = await api()
          .post('/bookings')
          .set(as('r1'))
          .send(bookingInput(car, day(3), day(4)))
          .expect(409);
        // The suspension's reason is the admin team's note to the agency: a renter is not told it.
        expect(booking.body.message).toBe('This car cannot be booked at the moment');
        // The chat stays its line to the admin team: what it sends is stored and delivered (on the other process too).
        const admin = await openWs(a.url, `/ws/chat?access_token=${tokens.admin}`);
        const clerk = await openWs(b.url, `/ws/chat?access_token=${tokens.C}`);
        clerk.send({ id: 'c-1', sender: 'agency', content: 'Still here' });
        expect(await admin.waitForFrames(1)).toEqual([
          expect.objectContaining({ sender: 'agency', content: 'Still here' }),
        ]);
        admin.send({ id: 'a-1', sender: 'admin', agencyId: id, content: 'We know' });
        expect(await clerk.waitForFrames(1)).toEqual([expect.objectContaining({ content: 'We know' })]);
        await Promise.all([admin.close(), clerk.close()]);
        const stored = await sql<{ content: string }>(
          'SELECT content FROM chat_messages WHERE agency_id = $1 ORDER BY seq',
          [id],
        );
        expect(stored).toEqual([{ content: 'Still here' }, { content: 'We know' }]);

        // The stream opened before stayed open and heard each change, live.
        const events = await stream.waitForEvents(2);
        expect(events.map((event) => JSON.parse(event.data).message)).toEqual([
          expect.stringContaining('is active'),
          expect.stringContaining('is suspended'),
        ]);
        await api().patch(`/agencies/${id}/status`).set(as('admin')).send({ status: 'active' }).expect(200);
        await api().get(`/cars/${car}`).expect(200);
      } finally {
        stream.close();
      }
      const trail = await api()
        .get(`/audit?entity=agency&entityId=${id}&action=agency.status`)
        .set(as('admin'))
        .expect(200);
      expect(trail.body.map((e: { after: { status: string } }) => e.after.status)).toEqual([
        'active',
        'suspended',
        'active',
      ]);
      expect(trail.body[1]).toMatchObject({
        actorSub: 'admin-1',
        actorRole: 'admin',
        action: 'agency.status',
        before: { status: 'active' },
        reason: 'Insurance expired',
        requestId: expect.any(String),
      });
    });
  });

  describe('users', () => {
    it('lists the accounts seen, with filters and counts, for the admin only', async () => {
      await book('r1', carA, 1);
      await api().get('/bookings').set(as('r2')).expect(200);
      const renters = await api().get('/users?role=renter').set(as('admin')).expect(200);
      expect(renters.body.map((u: { sub: string }) => u.sub).sort()).toEqual(['renter-1', 'renter-2']);
      expect(renters.headers['x-total-count']).toBe('2');
      const found = await api().get('/users?q=YOUSS').set(as('admin')).expect(200);
      expect(found.body).toEqual([expect.objectContaining({ sub: 'renter-1', bookingCount: 1, reviewCount: 0 })]);
      const clerks = await api().get(`/users?agencyId=${agencyA}`).set(as('admin')).expect(200);
      expect(clerks.body.map((u: { sub: string }) => u.sub)).toEqual(['clerk-a']);
      await api().get('/users').set(as('A')).expect(403);
      await api().get('/users').set(as('r1')).expect(403);
      await api().get('/users?status=banned').set(as('admin')).expect(400);
    });

    it('suspends an account: 403 everywhere, its streams and sockets end on both processes; reinstated, it works', async () => {
      await api().get('/bookings').set(as('A')).expect(200);
      const streamA = await openSse(`${a.url}/notifications/sse?access_token=${tokens.r2}`);
      const streamB = await openSse(`${b.url}/notifications/sse?access_token=${tokens.r2}`);
      const socket = await openWs(b.url, `/ws/chat?access_token=${tokens.A}`);
      const ended = (stream: typeof streamA) =>
        new Promise<void>((resolve) => {
          if (stream.response.readableEnded) resolve();
          stream.response.on('end', resolve);
          stream.response.on('close', resolve);
        });
      await api().patch('/users/renter-2/status').set(as('admin')).send({ status: 'suspended' }).expect(400);
      await api().patch('/users/renter-2/status').set(as('r1')).send({ status: 'suspended', reason: 'x' }).expect(403);
      await api().patch('/users/nobody/status').set(as('admin')).send({ status: 'suspended', reason: 'x' }).expect(404);
      await api()
        .patch('/users/admin-1/status')
        .set(as('admin'))
        .send({ status: 'suspended', reason: 'x' })
        .expect(409);

      const started = Date.now();
      await api()
        .patch('/users/renter-2/status')
        .set(as('admin'))
        .send({ status: 'suspended', reason: 'Fraud' })
        .expect(200);
      await api()
        .patch('/users/clerk-a/status')
        .set(as('admin2'))
        .send({ status: 'suspended', reason: 'Abuse' })
        .expect(200);
      await Promise.all([ended(streamA), ended(streamB)]);
      await waitFor(() => socket.closeCode ?? undefined, 1000, 'the socket to close');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(socket.closeCode).toBe(1008);
      for (const app of [a, b]) {
        const refused = await api(app).get('/bookings').set(as('r2')).expect(403);
        expect(refused.body.message).toBe('This account is suspended');
        await api(app).get('/cars').set(as('A')).expect(403);
      }
      await expect(openWs(a.url, `/ws/chat?access_token=${tokens.A}`)).rejects.toThrow(/403/);

      await api().patch('/users/renter-2/status').set(as('admin')).send({ status: 'active' }).expect(200);
      await api().patch('/users/clerk-a/status').set(as('admin')).send({ status: 'active' }).expect(200);
      for (const app of [a, b]) {
        for (const who of ['r2', 'A']) {
          await waitFor(
            async () => ((await api(app).get('/bookings').set(as(who))).status === 200 ? true : undefined),
            2000,
            'the account to work again',
          );
        }
      }
      const suspended = await api().get('/audit?entity=user&entityId=renter-2').set(as('admin')).expect(200);
      expect(suspended.body.map((e: { after: { status: string } }) => e.after.status)).toEqual(['active', 'suspended']);
    });
  });

  describe('complaints', () => {
    it('lets the parties file and talk, the admin team triage and note, each told of what the others did', async () => {
      const booking = await book('r1', carA, 10);
      await api()
        .post('/complaints')
        .set(as('r2'))
        .send({ bookingId: booking.id, category: 'billing', description: 'x' })
        .expect(404);
      await api()
        .post('/complaints')
        .set(as('B'))
        .send({ bookingId: booking.id, category: 'billing', description: 'x' })
        .expect(404);
      await api()
        .post('/complaints')
        .set(as('admin'))
        .send({ bookingId: booking.id, category: 'billing', description: 'x' })
        .expect(403);
      await api()
        .post('/complaints')
        .set(as('r1'))
        .send({ bookingId: booking.id, category: 'fraud', description: 'x' })
        .expect(400);
      const filed = await api()
        .post('/complaints')
        .set(as('r1'))
        .send({ bookingId: booking.id, category: 'vehicle_condition', description: 'The car smelled of smoke' })
        .expect(201);
      const id = filed.body.id as string;
      expect(filed.body).toMatchObject({ agencyId: agencyA, renterSub: 'renter-1', status: 'open' });
      // The triage (priority, assignee) is the admin team's: parties do not see it.
      expect(filed.body).not.toHaveProperty('priority');
      expect(filed.body).not.toHaveProperty('assignee');
      expect((await notifications('A'))[0]).toMatchObject({ title: 'New Complaint', type: 'SYSTEM' });
      const byAgency = await api()
        .post('/complaints')
        .set(as('A'))
        .send({ bookingId: booking.id, category: 'no_show', description: 'Late by two hours' })
        .expect(201);
      expect((await notifications('r1'))[0]).toMatchObject({ title: 'New Complaint' });
      // The admin team hears of the agency's complaint on its own (no agency on it).
      const adminFeed = await notifications('admin');
      expect(adminFeed.find((n) => n.agencyId === null)).toMatchObject({ title: 'New Complaint' });

      await api().get(`/complaints/${id}`).set(as('r2')).expect(404);
      await api().get(`/complaints/${id}`).set(as('B')).expect(404);
      expect((await api().get('/complaints').set(as('r1')).expect(200)).body).toHaveLength(2);
      expect((await api().get('/complaints').set(as('B')).expect(200)).body).toEqual([]);
      const filtered = await api()
        .get(`/complaints?status=open&agencyId=${agencyA}&limit=1`)
        .set(as('admin'))
        .expect(200);
      expect(filtered.headers['x-total-count']).toBe('2');

      await api().patch(`/complaints/${id}`).set(as('r1')).send({ status: 'resolved' }).expect(403);
      const before = await auditCount();
      await api().patch(`/complaints/${id}`).set(as('admin')).send({ status: 'resolved' }).expect(409);
      expect(await auditCount()).toBe(before); // a refused triage leaves no trace
      const triaged = await api()
        .patch(`/complaints/${id}`)
        .set(as('admin'))
        .send({ status: 'in_review', priority: 'high', assignee: 'admin-1' })
        .expect(200);
      expect(triaged.body).toMatchObject({ status: 'in_review', priority: 'high', assignee: 'admin-1' });
      expect((await notifications('r1'))[0]).toMatchObject({
        title: 'Complaint Updated',
        message: expect.stringContaining('in review'),
      });
      const say = (who: string, body: object) => api().post(`/complaints/${id}/messages`).set(as(who)).send(body);
      await say('r1', { content: 'Any news?' }).expect(201);
      await say('A', { content: 'We cleaned it' }).expect(201);
      await say('admin', { content: 'Refund 10%?', internal: true }).expect(201);
      await say('r1', { content: 'psst', internal: true }).expect(403);
      await say('r2', { content: 'Me?' }).expect(404);
      await say('A', { content: '' }).expect(400);
      const thread = async (who: string) =>
        ((await api().get(`/complaints/${id}/messages`).set(as(who)).expect(200)).body as { content: string }[]).map(
          (m) => m.content,
        );
      expect(await thread('r1')).toEqual(['Any news?', 'We cleaned it']);
      expect(await thread('A')).toEqual(['Any news?', 'We cleaned it']);
      expect(await thread('admin')).toEqual(['Any news?', 'We cleaned it', 'Refund 10%?']);
      expect(JSON.stringify(await notifications('r1'))).not.toContain('Refund 10%');
      expect(JSON.stringify(await notifications('A'))).not.toContain('Refund 10%');
      expect((await notifications('r1'))[0]).toMatchObject({ message: 'We cleaned it' });
      expect((await notifications('A'))[0]).toMatchObject({ message: 'Any news?' });
      expect(byAgency.body.filedByRole).toBe('agency');

      // Resolved, the complaint is read-only: its thread takes no more messages.
      await api().patch(`/complaints/${id}`).set(as('admin')).send({ status: 'resolved' }).expect(200);
      expect((await api().get('/complaints?priority=high').set(as('admin')).expect(200)).body).toHaveLength(1);
      const [entry] = (
        await api().get(`/audit?entity=complaint&entityId=${id}&action=complaint.triage`).set(as('admin')).expect(200)
      ).body;
      expect(entry).toMatchObject({
        action: 'complaint.triage',
        before: { status: 'in_review' },
        after: { status: 'resolved' },
      });
      await say('r1', { content: 'One more thing' }).expect(409);
    });
  });

  describe('the support inbox', () => {
    it('lists each agency conversation with its last message and unread count, and marks it read', async () => {
      const socketA = await openWs(a.url, `/ws/chat?access_token=${tokens.A}`);
      const socketB = await openWs(a.url, `/ws/chat?access_token=${tokens.B}`);
      const admin = await openWs(a.url, `/ws/chat?access_token=${tokens.admin}`);
      try {
        socketA.send({ id: '1', sender: 'agency', content: 'Hello from Atlas' });
        socketA.send({ id: '2', sender: 'agency', content: 'Are you there?' });
        await admin.waitForFrames(2);
        socketB.send({ id: '1', sender: 'agency', content: 'Bravo here' });
        await admin.waitForFrames(3);
        admin.send({ id: '3', sender: 'admin', agencyId: agencyA, content: 'Yes' });
        await socketA.waitForFrames(1);
      } finally {
        await Promise.all([socketA.close(), socketB.close(), admin.close()]);
      }
      const inbox = await api().get('/chat/conversations').set(as('admin')).expect(200);
      // Newest activity first; the suspended agency's conversation of the first test comes last (its
      // message, sent while suspended, unread).
      expect(inbox.body.map((c: { agencyId: string; unread: number }) => [c.agencyId, c.unread])).toEqual([
        [agencyA, 2],
        [agencyB, 1],
        [expect.any(String), 1],
      ]);
      expect(inbox.body[0].lastMessage).toMatchObject({ sender: 'admin', content: 'Yes' });
      const firstOfB = (await api().get(`/chat/messages?agencyId=${agencyB}`).set(as('admin')).expect(200)).body[0];
      await api().post(`/chat/conversations/${agencyA}/read`).set(as('A')).send({}).expect(403);
      expect(
        (await api().post(`/chat/conversations/${agencyA}/read`).set(as('admin')).send({}).expect(200)).body,
      ).toEqual({
        unread: 0,
      });
      await api().post(`/chat/conversations/${agencyB}/read`).set(as('admin')).send({ upTo: 'nope' }).expect(404);
      await api().post(`/chat/conversations/${agencyB}/read`).set(as('admin')).send({ upTo: firstOfB.id }).expect(200);
      const after = await api().get('/chat/conversations').set(as('admin')).expect(200);
      expect(after.body.map((c: { unread: number }) => c.unread)).toEqual([0, 0, 1]);
      await api().get('/chat/conversations').set(as('A')).expect(403);
    });
  });

  describe('the overview', () => {
    it('computes the numbers of a small data set as worked out by hand', async () => {
      // A database of its own: the numbers count everything in it.
      const url = await createTestDatabase();
      const other = await createTestApp(SETTINGS, url);
      try {
        const admin = await signToken({ sub: 'admin-1', role: 'admin' });
        const x = '00000000-0000-4000-8000-00000000000a';
        const y = '00000000-0000-4000-8000-00000000000b';
        const c1 = '00000000-0000-4000-8000-0000000000c1';
        const c2 = '00000000-0000-4000-8000-0000000000c2';
        // The period: 10 days of January 2030. Two cars exist all along, one car only for its last 5 days.
        const at = (d: number, h = 0) => new Date(Date.UTC(2030, 0, d, h)).toISOString();
        await withClient(url, async (client) => {
          await client.query(`INSERT INTO agencies (id, name, created_at) VALUES ($1, 'X', $3), ($2, 'Y', $4)`, [
            x,
            y,
            at(2),
            '2029-06-01T00:00:00Z',
          ]);
          await client.query(
            `INSERT INTO cars (id, agency_id, make, model, year, type, seats, fuel_type, price_per_day, location, created_at)
             VALUES ($1, $3, 'A', 'A', 2020, 'SUV', 5, 'Diesel', 10, 'R', '2029-01-01'),
                    ($2, $4, 'B', 'B', 2020, 'SUV', 5, 'Diesel', 20, 'R', $5),
                    (gen_random_uuid(), $4, 'C', 'C', 2020, 'SUV', 5, 'Diesel', 20, 'R', '2029-01-01')`,
            [c1, c2, x, y, at(6)],
          );
          const rows: [string, string, string, string, number, boolean, string][] = [
            // car, start, end, status, price, paid, created
            [c1, at(1), at(3), 'Completed', 20, true, at(1)], // 2 days booked; paid, ended in the period: X +20
            [c1, at(4), at(6), 'Completed', 20, false, at(2)], // 2 days booked; unpaid: no revenue
            [c2, at(8), at(12), 'Confirmed', 80, false, at(3)], // 3 days inside the period (8 to 11)
            [c2, at(6), at(8), 'Completed', 40, true, at(4)], // 2 days; Y +40
            [c1, at(9), at(10), 'Cancelled', 10, false, at(5)], // not booked
            [c1, '2029-12-20T00:00:00Z', at(2), 'Completed', 130, true, '2029-12-01T00:00:00Z'], // 1 day in; X +130
            [c1, at(7), at(8), 'Pending', 10, false, at(9)], // not booked (Pending)
          ];
          for (const [car, start, end, status, price, paid, created] of rows) {
            await client.query(
              `INSERT INTO bookings (car_id, start_date, end_date, renter_id, renter_name, renter_email, status,
                                     total_price, is_paid, created_at, updated_at)
               VALUES ($1, $2, $3, 'r', 'R', 'r@example.com', $4, $5, $6, $7, $7)`,
              [car, start, end, status, price, paid, created],
            );
          }
          await client.query(
            `INSERT INTO users (sub, issuer, role, first_seen_at) VALUES ('u1', '', 'renter', $1), ('u2', '', 'renter', '2029-01-01')`,
            [at(5)],
          );
        });
        const overview = await request(other.url)
          .get(`/admin/overview?from=${at(1)}&to=${at(11)}`)
          .set({ Authorization: `Bearer ${admin}` })
          .expect(200);
        // Booked car-days: 2 + 2 + 3 + 2 + 1 = 10. Available: cars 1 and 3 for 10 days, car 2 for 5 = 25.
        expect(overview.body).toEqual({
          from: at(1),
          to: at(11),
          bookingsByStatus: { Pending: 1, Confirmed: 1, Completed: 3, Cancelled: 1, Rejected: 0 },
          revenue: 190,
          occupancy: 0.4,
          bookedCarDays: 10,
          availableCarDays: 25,
          newAgencies: 1,
          newUsers: 1,
          openComplaints: { low: 0, normal: 0, high: 0, urgent: 0 },
          topAgencies: [
            { agencyId: x, name: 'X', revenue: 150 },
            { agencyId: y, name: 'Y', revenue: 40 },
          ],
        });
        await request(other.url)
          .get(`/admin/overview?from=${at(5)}&to=${at(1)}`)
          .set({ Authorization: `Bearer ${admin}` })
          .expect(400);
      } finally {
        await other.close();
      }
      await api().get('/admin/overview').set(as('A')).expect(403);
      await api().get('/admin/overview').set(as('r1')).expect(403);
    });

    it('gives series per month, week or day, by car type and agency, from rollups kept in step with the writes', async () => {
      const url = await createTestDatabase();
      const other = await createTestApp({ ...SETTINGS, ROLLUP_FOLD_SECONDS: '3600' }, url);
      try {
        const admin = { Authorization: `Bearer ${await signToken({ sub: 'admin-1', role: 'admin' })}` };
        const x = '00000000-0000-4000-8000-00000000000a';
        const y = '00000000-0000-4000-8000-00000000000b';
        const c1 = '00000000-0000-4000-8000-0000000000c1';
        const c2 = '00000000-0000-4000-8000-0000000000c2';
        const run = (text: string, params: unknown[] = []) => withClient(url, (client) => client.query(text, params));
        await run(`INSERT INTO agencies (id, name) VALUES ($1, 'X'), ($2, 'Y')`, [x, y]);
        // c1 (SUV of X) exists all along; c2 (Sedan of Y) from February 1st.
        await run(
          `INSERT INTO cars (id, agency_id, make, model, year, type, seats, fuel_type, price_per_day, location, created_at)
           VALUES ($1, $3, 'A', 'A', 2020, 'SUV', 5, 'Diesel', 10, 'R', '2029-01-01'),
                  ($2, $4, 'B', 'B', 2020, 'Sedan', 5, 'Diesel', 10, 'R', '2030-02-01')`,
          [c1, c2, x, y],
        );
        const rows: [string, string, string, string, number, boolean, string][] = [
          [c1, '2030-01-10', '2030-01-12', 'Completed', 100, true, '2030-01-05'], // Jan: 2 days, +100
          // Booked before its car existed: only Feb 1-3 counts (2 days); its 140 comes in February (its end).
          [c2, '2030-01-20', '2030-02-03', 'Completed', 140, true, '2030-01-15'],
          [c1, '2030-02-27', '2030-03-02', 'Confirmed', 30, false, '2030-02-20'], // Feb 27-28, Mar 1
          [c1, '2030-03-10', '2030-03-11', 'Cancelled', 10, false, '2030-03-01'], // not booked
        ];
        for (const [car, start, end, status, price, paid, created] of rows) {
          await run(
            `INSERT INTO bookings (car_id, start_date, end_date, renter_id, renter_name, renter_email, status,
                                   total_price, is_paid, created_at, updated_at)
             VALUES ($1, $2, $3, 'r', 'R', 'r@example.com', $4, $5, $6, $7, $7)`,
            [car, start, end, status, price, paid, created],
          );
        }
        await run(
          `INSERT INTO users (sub, issuer, role, first_seen_at)
           VALUES ('u1', '', 'renter', '2030-01-03'), ('u2', '', 'renter', '2030-03-15'), ('u3', '', 'renter', '2029-12-31')`,
        );
        const point = (
          start: string,
          end: string,
          created: number,
          revenue: number,
          accounts: number,
          booked: number,
          available: number,
        ) => ({
          start,
          end,
          bookingsCreated: created,
          revenue,
          newAccounts: accounts,
          occupancy: available > 0 ? Math.round((booked / available) * 10_000) / 10_000 : 0,
          bookedCarDays: booked,
          availableCarDays: available,
        });
        const expected = {
          from: '2030-01-01',
          to: '2030-04-01',
          interval: 'month',
          points: [
            point('2030-01-01', '2030-02-01', 2, 100, 1, 2, 31),
            point('2030-02-01', '2030-03-01', 1, 140, 0, 4, 56),
            point('2030-03-01', '2030-04-01', 1, 0, 1, 1, 62),
          ],
          groups: [
            {
              key: 'Sedan',
              label: 'Sedan',
              points: [
                point('2030-01-01', '2030-02-01', 1, 0, 0, 0, 0),
                point('2030-02-01', '2030-03-01', 0, 140, 0, 2, 28),
                point('2030-03-01', '2030-04-01', 0, 0, 0, 0, 31),
              ],
            },
            {
              key: 'SUV',
              label: 'SUV',
              points: [
                point('2030-01-01', '2030-02-01', 1, 100, 0, 2, 31),
                point('2030-02-01', '2030-03-01', 1, 0, 0, 2, 28),
                point('2030-03-01', '2030-04-01', 1, 0, 0, 1, 31),
              ],
            },
          ],
        };
        const series = (query: string) =>
          request(other.url).get(`/admin/overview/series?${query}`).set(admin).expect(200);
        const byType = 'from=2030-01-01&to=2030-03-31T12:00:00Z&interval=month&by=type';
        // Before any fold (the deltas), after one (the rollups), and recomputed from the tables: the same figures.
        expect((await series(byType)).body).toEqual(expected);
        const [{ count }] = (await run(`SELECT count(*)::int AS count FROM rollup_deltas`)).rows;
        expect(count).toBeGreaterThan(0);
        await run(`SELECT fold_rollups(1000000)`);
        expect((await run(`SELECT count(*)::int AS count FROM rollup_deltas`)).rows[0].count).toBe(0);
        expect((await series(byType)).body).toEqual(expected);
        await run(`SELECT rebuild_rollups()`);
        expect((await series(byType)).body).toEqual(expected);

        const byAgency = await series('from=2030-01-01&to=2030-04-01&by=agency');
        expect(byAgency.body.groups.map((g: { key: string; label: string }) => [g.key, g.label])).toEqual([
          [x, 'X'],
          [y, 'Y'],
        ]);
        const weekly = await series('from=2030-01-01&to=2030-01-15&interval=week');
        expect(weekly.body.points.map((p: { start: string; end: string }) => [p.start, p.end])).toEqual([
          ['2030-01-01', '2030-01-07'], // Tuesday to the first Monday
          ['2030-01-07', '2030-01-14'],
          ['2030-01-14', '2030-01-15'],
        ]);
        const daily = await series('from=2030-01-10&to=2030-01-12&interval=day');
        expect(daily.body.points.map((p: { bookedCarDays: number }) => p.bookedCarDays)).toEqual([1, 1]);

        // Writes move the figures in their own transaction: a status change, a payment, a car's new type.
        await run(
          `UPDATE bookings SET status = 'Completed', is_paid = true WHERE car_id = $1 AND status = 'Confirmed'`,
          [c1],
        );
        await run(`UPDATE cars SET type = 'Van' WHERE id = $1`, [c2]);
        const moved = (await series(byType)).body;
        expect(moved.points[2].revenue).toBe(30); // ended March 2nd
        expect(moved.groups.map((g: { key: string }) => g.key)).toEqual(['Sedan', 'SUV', 'Van']);
        expect(
          moved.groups[0].points.every(
            (p: { revenue: number; bookedCarDays: number }) => p.revenue === 0 && p.bookedCarDays === 0,
          ),
        ).toBe(true);
        expect(moved.groups[2].points[1]).toEqual(point('2030-02-01', '2030-03-01', 0, 140, 0, 2, 28));

        for (const bad of [
          'interval=year',
          'by=city',
          'from=2030-02-01&to=2030-01-01',
          'from=2019-01-01&to=2030-01-01',
          'from=2030-01-01&to=2033-01-01&interval=day',
          'from=yesterday',
        ]) {
          await request(other.url).get(`/admin/overview/series?${bad}`).set(admin).expect(400);
        }
      } finally {
        await other.close();
      }
    });
  });

  describe('the audit trail', () => {
    it('records booking status changes, is filtered, and cannot be changed', async () => {
      const booking = await book('r1', carA, 30);
      await api().put(`/bookings/${booking.id}`).set(as('A')).send({ status: 'Confirmed' }).expect(200);
      const before = await auditCount();
      await api().put(`/bookings/${booking.id}`).set(as('A')).send({ status: 'Pending' }).expect(409);
      await api()
        .patch('/agencies/00000000-0000-4000-8000-000000000001/status')
        .set(as('admin'))
        .send({ status: 'suspended', reason: 'x' })
        .expect(409);
      expect(await auditCount()).toBe(before); // refused actions leave nothing
      const trail = await api().get(`/audit?entity=booking&entityId=${booking.id}`).set(as('admin')).expect(200);
      expect(trail.body).toEqual([
        expect.objectContaining({
          actorSub: 'clerk-a',
          actorRole: 'agency',
          before: { status: 'Pending' },
          after: { status: 'Confirmed' },
        }),
      ]);
      const byActor = await api().get('/audit?actor=admin-2').set(as('admin')).expect(200);
      expect(byActor.body.map((e: { entityId: string }) => e.entityId)).toEqual(['clerk-a']);
      const none = await api().get(`/audit?to=2000-01-01T00:00:00.000Z`).set(as('admin')).expect(200);
      expect(none.body).toEqual([]);
      await api().get('/audit').set(as('A')).expect(403);
      await expect(sql('UPDATE audit_log SET reason = $1', ['changed'])).rejects.toThrow(/append-only/);
      await expect(sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });
  });
});
