import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput, reviewInput } from './support/builders.js';
import { day, started } from './support/dates.js';
import { openSse } from './support/sse.js';
import { signToken, TOKEN_MODE } from './support/tokens.js';
import { waitFor } from './support/wait.js';

/**
 * What the renters' app needs to drop its mocks (issue 23, in part): the token is the renter, a
 * car's calendar, search over what people type, a stream that says why it ends.
 */
describe("Token mode: the renters' app", () => {
  let t: TestApp;
  let agencyA: string;
  let agencyB: string;
  let carA: string;
  let carB: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const api = () => request(t.url);
  const setStatus = (who: string, id: string, body: object) => api().put(`/bookings/${id}`).set(as(who)).send(body);

  beforeAll(async () => {
    t = await createTestApp(TOKEN_MODE);
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin' });
    const agency = async (body: object) =>
      (await api().post('/agencies').set(as('admin')).send(body).expect(201)).body.id as string;
    agencyA = await agency({ name: 'Atlas Car Rental', city: 'Marrakech' });
    agencyB = await agency({ name: 'Bahia Rent', city: 'Rabat' });
    tokens.A = await signToken({ sub: 'clerk-a', role: 'agency', agency_id: agencyA });
    tokens.B = await signToken({ sub: 'clerk-b', role: 'agency', agency_id: agencyB });
    tokens.r1 = await signToken({ sub: 'renter-1', role: 'renter', name: 'Amina', email: 'amina@example.com' });
    tokens.r2 = await signToken({ sub: 'renter-2', role: 'renter' });
    carA = (
      await api()
        .post('/cars')
        .set(as('A'))
        .send(carInput({ make: 'Dacia', model: 'Duster', type: 'SUV', location: 'Marrakech' }))
        .expect(201)
    ).body.id;
    carB = (
      await api()
        .post('/cars')
        .set(as('B'))
        .send(carInput({ make: 'Renault', model: 'Clio', type: 'Compact', location: 'Rabat' }))
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  describe("a renter's identity is the token's", () => {
    it('books without a renter object, and an agency still names its walk-in renter', async () => {
      const { carId, startDate, endDate } = bookingInput(carA, day(1), day(2));
      const own = await api().post('/bookings').set(as('r1')).send({ carId, startDate, endDate }).expect(201);
      expect(own.body.renter).toEqual({ id: 'renter-1', name: 'Amina', email: 'amina@example.com' });
      // A token without a name or e-mail: the body fills in what it lacks, else the sub and ''.
      const bare = await api()
        .post('/bookings')
        .set(as('r2'))
        .send(bookingInput(carA, day(3), day(4), { renter: undefined }))
        .expect(201);
      expect(bare.body.renter).toEqual({ id: 'renter-2', name: 'renter-2', email: '' });

      const walkIn = await api()
        .post('/bookings')
        .set(as('A'))
        .send({ carId, startDate: day(5), endDate: day(6) })
        .expect(400);
      expect(walkIn.body.message).toBe('renter is required: who the booking is for (name and email)');
      const noEmail = await api()
        .post('/bookings')
        .set(as('A'))
        .send({ carId, startDate: day(5), endDate: day(6), renter: { name: 'Walk-in' } })
        .expect(400);
      expect(noEmail.body.message).toBe('renter.email is required');
    });

    it('reviews without renterId or renterName, in the name the token carries', async () => {
      const { start, end } = started();
      const booking = await api()
        .post('/bookings')
        .set(as('r1'))
        .send({ carId: carB, startDate: start, endDate: end })
        .expect(201);
      await setStatus('B', booking.body.id, { status: 'Confirmed' }).expect(200);
      await setStatus('B', booking.body.id, { status: 'Completed' }).expect(200);
      const review = await api().post('/reviews').set(as('r1')).send({ carId: carB, rating: 4 }).expect(201);
      expect(review.body).toMatchObject({ renterId: 'renter-1', renterName: 'Amina', bookingId: booking.body.id });
    });
  });

  describe('profiles', () => {
    it('keeps what a user says of themselves, validated, with the display name derived when the token has none', async () => {
      const me = await api().get('/users/me').set(as('r2')).expect(200);
      expect(me.body).toMatchObject({ sub: 'renter-2', name: '', email: '', firstName: '', locale: '' });
      const updated = await api()
        .patch('/users/me')
        .set(as('r2'))
        .send({
          firstName: 'Salma',
          lastName: 'Bennani',
          phone: '+212 600 000 000',
          locale: 'fr-MA',
          avatarUrl: 'https://cdn.example.com/a.png',
          sub: 'someone-else',
          status: 'active',
        })
        .expect(200);
      expect(updated.body).toMatchObject({
        sub: 'renter-2',
        name: 'Salma Bennani',
        firstName: 'Salma',
        lastName: 'Bennani',
        phone: '+212 600 000 000',
        locale: 'fr-MA',
        avatarUrl: 'https://cdn.example.com/a.png',
      });
      // The token's own name stays the display name.
      const named = await api().patch('/users/me').set(as('r1')).send({ firstName: 'A.' }).expect(200);
      expect(named.body).toMatchObject({ name: 'Amina', firstName: 'A.' });
      for (const [body, field] of [
        [{ locale: 'français' }, 'locale'],
        [{ avatarUrl: 'javascript:alert(1)' }, 'avatarUrl'],
        [{ phone: 'call me' }, 'phone'],
        [{ firstName: 'x'.repeat(101) }, 'firstName'],
      ] as const) {
        const refused = await api().patch('/users/me').set(as('r2')).send(body).expect(400);
        expect(refused.body.message).toMatch(new RegExp(`^${field}`));
      }
      const cleared = await api().patch('/users/me').set(as('r2')).send({ avatarUrl: '', phone: '' }).expect(200);
      expect(cleared.body).toMatchObject({ avatarUrl: '', phone: '', firstName: 'Salma' });
    });

    it('gives the admin team one account with its counts and status, and no one else', async () => {
      const one = await api().get('/users/renter-1').set(as('admin')).expect(200);
      expect(one.body).toMatchObject({
        sub: 'renter-1',
        role: 'renter',
        status: 'active',
        name: 'Amina',
        bookingCount: expect.any(Number),
        reviewCount: 1,
      });
      expect(one.body.bookingCount).toBeGreaterThan(0);
      await api().get('/users/renter-1').set(as('r1')).expect(403);
      await api().get('/users/renter-1').set(as('A')).expect(403);
      await api().get('/users/nobody').set(as('admin')).expect(404);
      // An agency's public data is never null either.
      const agency = await api().get(`/agencies/${agencyB}`).expect(200);
      expect(agency.body).toMatchObject({ city: 'Rabat', phone: '', email: '' });
    });
  });

  describe("a car's calendar", () => {
    it('lists the periods a car is held, without renter data, within at most 366 days', async () => {
      const hold = async (who: string, start: string, end: string) =>
        (await api().post('/bookings').set(as(who)).send({ carId: carB, startDate: start, endDate: end }).expect(201))
          .body.id as string;
      const pending = await hold('r2', day(10), day(12));
      const confirmed = await hold('r1', day(20), day(21, 18));
      const cancelled = await hold('r2', day(30), day(31));
      await setStatus('B', confirmed, { status: 'Confirmed' }).expect(200);
      await setStatus('B', cancelled, { status: 'Cancelled' }).expect(200);
      expect(pending).toBeDefined();

      const calendar = await api()
        .get(`/cars/${carB}/availability?from=${day(0)}&to=${day(60)}`)
        .expect(200);
      expect(calendar.body).toEqual({
        carId: carB,
        from: day(0),
        to: day(60),
        held: [
          { startDate: day(10), endDate: day(12) },
          { startDate: day(20), endDate: day(21, 18) },
        ],
      });
      // Only what overlaps the period.
      const narrow = await api()
        .get(`/cars/${carB}/availability?from=${day(11)}&to=${day(20)}`)
        .expect(200);
      expect(narrow.body.held).toEqual([{ startDate: day(10), endDate: day(12) }]);
      // Defaults: from now, 90 days.
      const standard = await api().get(`/cars/${carB}/availability`).expect(200);
      expect(new Date(standard.body.to).getTime() - new Date(standard.body.from).getTime()).toBe(90 * 86_400_000);

      const tooLong = await api()
        .get(`/cars/${carB}/availability?from=${day(0)}&to=${day(367)}`)
        .expect(400);
      expect(tooLong.body.message).toBe('to may be at most 366 days after from');
      await api()
        .get(`/cars/${carB}/availability?from=${day(5)}&to=${day(5)}`)
        .expect(400);
      await api().get(`/cars/${carB}/availability?from=soon`).expect(400);
      await api().get('/cars/00000000-0000-4000-8000-00000000ffff/availability').expect(404);
    });

    it("answers a hidden agency's car like a missing one, except to the agency and the admin team", async () => {
      await api().patch(`/agencies/${agencyB}/status`).set(as('admin')).send({ status: 'pending' }).expect(200);
      try {
        await api().get(`/cars/${carB}/availability`).expect(404);
        await api().get(`/cars/${carB}/availability`).set(as('r1')).expect(404);
        await api().get(`/cars/${carB}/availability`).set(as('A')).expect(404);
        await api().get(`/cars/${carB}/availability`).set(as('B')).expect(200);
        await api().get(`/cars/${carB}/availability`).set(as('admin')).expect(200);
      } finally {
        await api().patch(`/agencies/${agencyB}/status`).set(as('admin')).send({ status: 'active' }).expect(200);
      }
    });
  });

  describe('search that finds what people type', () => {
    it('matches the type, the location and the agency name too, accents and case aside', async () => {
      const found = async (q: string) =>
        (
          (
            await api()
              .get(`/cars?q=${encodeURIComponent(q)}`)
              .expect(200)
          ).body as { id: string }[]
        ).map((car) => car.id);
      expect(await found('marrakech')).toEqual([carA]);
      expect(await found('suv')).toEqual([carA]);
      expect(await found('RABAT')).toEqual([carB]);
      expect(await found('bahia')).toEqual([carB]);
      expect(await found('Atlas dúster')).toEqual([carA]);
      expect(await found('atlas clio')).toEqual([]);
    });
  });

  describe('lists that say when a parameter is wrong', () => {
    it('answers an unknown query parameter with a 400 naming it, on lists, single reads and writes', async () => {
      const search = await api().get('/cars?search=dacia&minPrice=10').expect(400);
      expect(search.body.message).toMatch(/^Unknown query parameters: search, minPrice \(this route takes .*\bq\b/);
      const one = await api().get(`/cars/${carA}?expand=agency`).set(as('r1')).expect(400);
      expect(one.body.message).toBe('Unknown query parameter: expand (this route takes none)');
      await api().get('/bookings?sort=asc').set(as('A')).expect(400);
      const write = await api().patch(`/cars/${carA}?force=true`).set(as('A')).send({ seats: 7 }).expect(400);
      expect(write.body.message).toContain('force');
      expect((await api().get(`/cars/${carA}`).expect(200)).body.seats).not.toBe(7);
      // What the routes document is accepted: a DTO's fields, a named query argument, the stream's token.
      await api().get('/cars?q=dacia&limit=1').expect(200);
      await api()
        .get('/users/renter-1?issuer=')
        .set(as('admin'))
        .expect((response) => expect(response.status).not.toBe(400));
      const stream = await openSse(`${t.url}/notifications/sse?access_token=${tokens.r1}&lastEventId=0`);
      expect(stream.response.statusCode).toBe(200);
      stream.close();
    });
  });

  describe('agencies as lists', () => {
    it('lists active agencies publicly with q and a page, and every one with its status for the admin team', async () => {
      const pending = (
        await api()
          .post('/agencies')
          .set(as('admin'))
          .send({ name: 'Casa Wheels', city: 'Casablanca', status: 'pending' })
      ).body.id as string;
      tokens.P = await signToken({ sub: 'clerk-p', role: 'agency', agency_id: pending });
      const names = (response: { body: { name: string }[] }) => response.body.map((agency) => agency.name);

      const open = await api().get('/agencies').expect(200);
      // Oldest first: Atlas was registered before Bahia.
      expect(names(open).filter((name) => name !== 'Built-in agency')).toEqual(['Atlas Car Rental', 'Bahia Rent']);
      expect(names(open)).not.toContain('Casa Wheels');
      expect(open.body[0]).not.toHaveProperty('status');
      expect(open.headers['x-total-count']).toBe(String(open.body.length));
      const atlas = (open.body as { name: string }[]).find((agency) => agency.name === 'Atlas Car Rental');
      expect(atlas).toMatchObject({
        city: 'Marrakech',
        website: '',
        contactName: '',
        bookingCount: expect.any(Number),
      });
      expect(names(await api().get('/agencies?q=marrakech').expect(200))).toEqual(['Atlas Car Rental']);
      expect(names(await api().get('/agencies?q=BAHIA').set(as('r1')).expect(200))).toEqual(['Bahia Rent']);
      const page = await api().get('/agencies?limit=1&offset=1').expect(200);
      expect(page.body).toHaveLength(1);
      expect(page.headers['x-total-count']).toBe(open.headers['x-total-count']);

      const all = await api().get('/agencies?status=pending').set(as('admin')).expect(200);
      expect(all.body).toEqual([expect.objectContaining({ name: 'Casa Wheels', status: 'pending' })]);
      expect(await api().get('/agencies?status=pending').expect(200).then(names)).toEqual([]);
      // The pending agency sees itself in the list, whole, and completes its own profile.
      expect(names(await api().get('/agencies?q=casa').set(as('P')).expect(200))).toEqual(['Casa Wheels']);
      const profile = await api()
        .patch(`/agencies/${pending}`)
        .set(as('P'))
        .send({ website: 'https://casawheels.example', contactName: 'Omar', legalName: 'Casa Wheels SARL' })
        .expect(200);
      expect(profile.body).toMatchObject({ website: 'https://casawheels.example', contactName: 'Omar' });
      await api().patch(`/agencies/${pending}`).set(as('P')).send({ website: 'ftp://x' }).expect(400);
      await api().post('/cars').set(as('P')).send(carInput()).expect(403);

      // An application refused: a reason is required, and the agency stays out of every public list.
      await api().patch(`/agencies/${pending}/status`).set(as('admin')).send({ status: 'rejected' }).expect(400);
      const rejected = await api()
        .patch(`/agencies/${pending}/status`)
        .set(as('admin'))
        .send({ status: 'rejected', reason: 'Registration extract missing' })
        .expect(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: 'Registration extract missing' });
      await api().patch(`/agencies/${pending}`).set(as('P')).send({ phone: '1' }).expect(403);
      await api().get(`/agencies/${pending}`).expect(404);
      expect(names(await api().get('/agencies?q=casa').expect(200))).toEqual([]);
    });
  });

  describe('notifications a client can route', () => {
    it('carry a category and the path of what they are about, filter by category, and can be removed', async () => {
      const booking = await api()
        .post('/bookings')
        .set(as('r2'))
        .send({ carId: carA, startDate: day(40), endDate: day(41) })
        .expect(201);
      await setStatus('A', booking.body.id, { status: 'Confirmed' }).expect(200);
      const mine = (await api().get('/notifications').set(as('r2')).expect(200)).body as {
        id: string;
        type: string;
        category: string;
        link: string;
      }[];
      expect(mine[0]).toMatchObject({ type: 'BOOKING', category: 'booking', link: `/bookings/${booking.body.id}` });

      const reviews = await api().get('/notifications?category=review').set(as('B')).expect(200);
      expect(reviews.body.length).toBeGreaterThan(0);
      for (const n of reviews.body as { category: string; link: string }[]) {
        expect(n.category).toBe('review');
        expect(n.link).toMatch(/^\/reviews\/[0-9a-f-]{36}$/);
      }
      const bookings = await api().get('/notifications?category=booking').set(as('B')).expect(200);
      expect((bookings.body as { category: string }[]).every((n) => n.category === 'booking')).toBe(true);
      await api().get('/notifications?category=everything').set(as('B')).expect(400);

      // Removed from its reader's inbox only; another reader answers 404, as for any notification not theirs.
      await api().delete(`/notifications/${mine[0].id}`).set(as('A')).expect(404);
      expect((await api().delete(`/notifications/${mine[0].id}`).set(as('r2')).expect(200)).body).toEqual({
        success: true,
      });
      await api().delete(`/notifications/${mine[0].id}`).set(as('r2')).expect(404);
      const after = (await api().get('/notifications').set(as('r2')).expect(200)).body as { id: string }[];
      expect(after.map((n) => n.id)).not.toContain(mine[0].id);
    });
  });

  describe('favourites', () => {
    it("keep a renter's own cars in the catalogue's shape; a deleted or hidden car drops out", async () => {
      const agencyC = (await api().post('/agencies').set(as('admin')).send({ name: 'Corniche Cars' }).expect(201)).body
        .id as string;
      tokens.C = await signToken({ sub: 'clerk-c', role: 'agency', agency_id: agencyC });
      const carC = (
        await api()
          .post('/cars')
          .set(as('C'))
          .send(carInput({ make: 'Kia' }))
          .expect(201)
      ).body.id;
      const doomed = (
        await api()
          .post('/cars')
          .set(as('A'))
          .send(carInput({ make: 'Fiat' }))
          .expect(201)
      ).body.id;
      for (const car of [carA, carB, carC, doomed]) {
        await api().put(`/users/me/favorites/${car}`).set(as('r1')).expect(200, { success: true });
      }
      await api().put(`/users/me/favorites/${carA}`).set(as('r1')).expect(200); // again: no change
      const all = await api().get('/users/me/favorites').set(as('r1')).expect(200);
      expect(all.headers['x-total-count']).toBe('4');
      expect(new Set(all.body.map((car: { id: string }) => car.id))).toEqual(new Set([carA, carB, carC, doomed]));
      expect(all.body.find((car: { id: string }) => car.id === carA)).toMatchObject({
        make: 'Dacia',
        agency: { id: agencyA, name: 'Atlas Car Rental', city: 'Marrakech' },
        reviewCount: expect.any(Number),
      });
      const page = await api().get('/users/me/favorites?limit=1&offset=1').set(as('r1')).expect(200);
      expect(page.body).toEqual([all.body[1]]);
      expect((await api().get('/users/me/favorites').set(as('r2')).expect(200)).body).toEqual([]);

      await api().delete(`/cars/${doomed}`).set(as('A')).expect(200);
      await api()
        .patch(`/agencies/${agencyC}/status`)
        .set(as('admin'))
        .send({ status: 'suspended', reason: 'Audit' })
        .expect(200);
      const left = await api().get('/users/me/favorites').set(as('r1')).expect(200);
      expect(left.body.map((car: { id: string }) => car.id).sort()).toEqual([carA, carB].sort());
      expect(left.headers['x-total-count']).toBe('2');
      await api().put(`/users/me/favorites/${carC}`).set(as('r2')).expect(404);
      await api().put(`/users/me/favorites/${doomed}`).set(as('r2')).expect(404);

      await api().delete(`/users/me/favorites/${carB}`).set(as('r1')).expect(200, { success: true });
      await api().delete(`/users/me/favorites/${carB}`).set(as('r1')).expect(200); // absent: no change
      expect(
        (await api().get('/users/me/favorites').set(as('r1')).expect(200)).body.map((car: { id: string }) => car.id),
      ).toEqual([carA]);

      await api().put('/users/me/favorites/not-a-uuid').set(as('r1')).expect(400);
      await api().put('/users/me/favorites/00000000-0000-4000-8000-000000000000').set(as('r1')).expect(404);
      await api().put(`/users/me/favorites/${carA}`).set(as('A')).expect(403);
      await api().get('/users/me/favorites').set(as('admin')).expect(403);
      await api().get('/users/me/favorites').expect(401);
    });
  });

  describe('embedded summaries', () => {
    it("show a booking's car, a review's car, a car's agency and a complaint's parties by name", async () => {
      const one = await api().get(`/cars/${carA}`).expect(200);
      expect(one.body.agency).toEqual({ id: agencyA, name: 'Atlas Car Rental', city: 'Marrakech' });
      const listed = await api().get('/cars?q=duster').expect(200);
      expect(listed.body[0].agency).toEqual({ id: agencyA, name: 'Atlas Car Rental', city: 'Marrakech' });
      const created = await api()
        .post('/cars')
        .set(as('B'))
        .send(carInput({ make: 'Seat' }))
        .expect(201);
      expect(created.body.agency).toEqual({ id: agencyB, name: 'Bahia Rent', city: 'Rabat' });

      const booking = await api()
        .post('/bookings')
        .set(as('r1'))
        .send({ carId: carA, startDate: day(50), endDate: day(51) })
        .expect(201);
      const carSummary = { id: carA, make: 'Dacia', model: 'Duster', type: 'SUV', seats: 5, fuelType: 'Hybrid' };
      expect(booking.body.car).toMatchObject(carSummary);
      const mine = await api().get('/bookings').set(as('r1')).expect(200);
      expect(mine.body.find((b: { id: string }) => b.id === booking.body.id).car).toMatchObject(carSummary);

      const reviews = await api().get(`/reviews?carId=${carB}`).expect(200);
      expect(reviews.body[0].car).toEqual({ id: carB, make: 'Renault', model: 'Clio', images: expect.any(Array) });
      const review = await api().post('/reviews').set(as('admin')).send({ carId: carA, rating: 5 }).expect(201);
      expect(review.body.car).toMatchObject({ id: carA, make: 'Dacia', model: 'Duster' });

      const complaint = await api()
        .post('/complaints')
        .set(as('r1'))
        .send({ bookingId: booking.body.id, category: 'vehicle_condition', description: 'A scratched door' })
        .expect(201);
      expect(complaint.body).toMatchObject({ agencyName: 'Atlas Car Rental', renterName: 'Amina', subject: '' });
      const seen = await api().get(`/complaints/${complaint.body.id}`).set(as('A')).expect(200);
      expect(seen.body).toMatchObject({ agencyName: 'Atlas Car Rental', renterName: 'Amina' });
    });
  });

  describe('support for everyone', () => {
    it('takes support requests without a booking from renters and agencies, each seen by its party and the admin team', async () => {
      const fromRenter = await api()
        .post('/complaints')
        .set(as('r2'))
        .send({ category: 'billing', subject: 'Remboursement en attente', description: 'Charged twice' })
        .expect(201);
      expect(fromRenter.body).toMatchObject({
        bookingId: null,
        agencyId: null,
        agencyName: '',
        renterSub: 'renter-2',
        renterName: 'Salma Bennani',
        subject: 'Remboursement en attente',
        status: 'open',
      });
      const fromAgency = await api()
        .post('/complaints')
        .set(as('B'))
        .send({ category: 'other', subject: 'Invoice address', description: 'Our invoices show an old address' })
        .expect(201);
      expect(fromAgency.body).toMatchObject({
        bookingId: null,
        agencyId: agencyB,
        agencyName: 'Bahia Rent',
        renterSub: null,
      });

      const noSubject = await api()
        .post('/complaints')
        .set(as('r2'))
        .send({ category: 'billing', description: 'Charged twice' })
        .expect(400);
      expect(noSubject.body.message).toBe('subject is required: what a support request (no bookingId) is about');
      await api()
        .post('/complaints')
        .set(as('admin'))
        .send({ category: 'other', subject: 'x', description: 'y' })
        .expect(403);

      const ids = (response: request.Response) => response.body.map((c: { id: string }) => c.id);
      expect(ids(await api().get('/complaints').set(as('r2')).expect(200))).toEqual([fromRenter.body.id]);
      expect(ids(await api().get('/complaints').set(as('B')).expect(200))).toEqual([fromAgency.body.id]);
      expect(ids(await api().get('/complaints').set(as('A')).expect(200))).not.toContain(fromRenter.body.id);
      await api().get(`/complaints/${fromRenter.body.id}`).set(as('r1')).expect(404);

      // The admin team's lists: q over subject and description (accents and case aside), category.
      expect(ids(await api().get('/complaints?q=REMBOURSEMENT').set(as('admin')).expect(200))).toEqual([
        fromRenter.body.id,
      ]);
      expect(ids(await api().get('/complaints?q=old%20address').set(as('admin')).expect(200))).toEqual([
        fromAgency.body.id,
      ]);
      const billing = await api().get('/complaints?category=billing').set(as('admin')).expect(200);
      expect(ids(billing)).toEqual([fromRenter.body.id]);
      await api().get('/complaints?category=refund').set(as('admin')).expect(400);
      const told = await api().get('/notifications?category=complaint').set(as('admin')).expect(200);
      expect(told.body.map((n: { title: string }) => n.title)).toContain('New Support Request');

      await api().patch(`/complaints/${fromRenter.body.id}`).set(as('admin')).send({ status: 'in_review' }).expect(200);
      const renterTold = await api().get('/notifications?category=complaint').set(as('r2')).expect(200);
      // Her profile says fr-MA: she reads it in French.
      expect(renterTold.body[0]).toMatchObject({
        message: 'Votre demande d’assistance est maintenant en cours d’examen',
        link: `/complaints/${fromRenter.body.id}`,
      });
    });
  });

  describe('the stream tells why it ends', () => {
    it("sends `event: end` with the reason before a suspension closes a renter's stream", async () => {
      tokens.r3 = await signToken({ sub: 'renter-3', role: 'renter' });
      await api().get('/users/me').set(as('r3')).expect(200);
      const stream = await openSse(`${t.url}/notifications/sse?access_token=${tokens.r3}`);
      const ended = new Promise((resolve) => stream.response.once('end', resolve));
      await api()
        .patch('/users/renter-3/status')
        .set(as('admin'))
        .send({ status: 'suspended', reason: 'Chargebacks' })
        .expect(200);
      await ended;
      expect(stream.events).toEqual([
        expect.objectContaining({ event: 'end', data: '{"reason":"account suspended"}' }),
      ]);
      await api().patch('/users/renter-3/status').set(as('admin')).send({ status: 'active' }).expect(200);
    });

    it('sends `event: end` when the token that opened it expires, and says ?access_token= is accepted', async () => {
      const soon = await signToken({ sub: 'renter-1', role: 'renter' }, { expiresIn: '2s' });
      const stream = await openSse(`${t.url}/notifications/sse?access_token=${soon}`);
      await waitFor(() => stream.events[0], 5000, 'the end event');
      expect(stream.events).toEqual([expect.objectContaining({ event: 'end', data: '{"reason":"token expired"}' })]);
      stream.close();
      const refused = await api().get('/notifications/sse').expect(401);
      expect(refused.body.message).toContain('?access_token=');
    });
  });
});

describe("Open mode keeps the dashboard's required fields", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('still needs a renter for a booking and renterId and renterName for a review', async () => {
    const car = (await request(t.url).post('/cars').send(carInput()).expect(201)).body.id as string;
    const booking = await request(t.url)
      .post('/bookings')
      .send(bookingInput(car, day(1), day(2), { renter: undefined }))
      .expect(400);
    expect(booking.body.message).toBe('renter is required: who the booking is for (name and email)');
    const review = await request(t.url)
      .post('/reviews')
      .send(reviewInput(car, { renterId: undefined }))
      .expect(400);
    expect(review.body.message).toBe('renterId and renterName are required: who wrote the review');
    await request(t.url).post('/reviews').send(reviewInput(car)).expect(201);
  });
});
