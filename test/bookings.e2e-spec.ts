import { beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useTestApp } from './support/app.js';
import { bookingInput, createBooking, createCar } from './support/builders.js';
import { withClient } from './support/database.js';
import { day, started } from './support/dates.js';

const DEC_1 = day(0);
const DEC_3 = day(2);
const DEC_5 = day(4);

describe('Bookings', () => {
  const t = useTestApp();
  let car: { id: string; pricePerDay: number };

  beforeEach(async () => {
    car = await createCar(t.url, { pricePerDay: 40.25 });
  });

  const countBookings = () =>
    withClient(t.databaseUrl, async (client) =>
      Number((await client.query('SELECT count(*) FROM bookings')).rows[0].count),
    );

  describe('POST /bookings', () => {
    it('creates a Pending, unpaid booking with the car nested and a server-side price', async () => {
      const response = await request(t.url)
        .post('/bookings')
        .send({
          ...bookingInput(car.id, DEC_1, day(2, 11)),
          id: '',
          status: 'Completed',
          isPaid: true,
          totalPrice: 0.01,
        })
        .expect(201);
      expect(response.body).toMatchObject({
        carId: car.id,
        car: { id: car.id, make: 'Toyota', year: 2023, images: ['/placeholder.svg?height=200&width=300'] },
        startDate: DEC_1,
        endDate: day(2, 11),
        renter: { name: 'Amina El Idrissi', email: 'amina@example.com' },
        status: 'Pending',
        isPaid: false,
        totalPrice: 120.75, // 3 started days × 40.25, whatever the client said
      });
      expect(response.body.renter.id).not.toBe('');
      expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
    });

    it('keeps the renter id the client sends', async () => {
      const response = await request(t.url)
        .post('/bookings')
        .send(
          bookingInput(car.id, DEC_1, DEC_3, { renter: { id: 'renter-7', name: 'Sara', email: 'sara@example.com' } }),
        )
        .expect(201);
      expect(response.body.renter).toEqual({ id: 'renter-7', name: 'Sara', email: 'sara@example.com' });
    });

    it.each([
      ['an end before the start', { startDate: DEC_3, endDate: DEC_1 }, 'endDate'],
      ['an end equal to the start', { startDate: DEC_1, endDate: DEC_1 }, 'endDate'],
      ['a date that is not ISO 8601', { startDate: 'next tuesday' }, 'startDate'],
      ['an impossible date', { endDate: '2026-02-30T10:00:00Z' }, 'endDate'],
      ['a malformed car id', { carId: 'car-1' }, 'carId'],
      ['no renter', { renter: undefined }, 'renter'],
      ['a renter without a name', { renter: { email: 'a@b.co' } }, 'renter.name'],
      ['a renter with a bad email', { renter: { name: 'A', email: 'not-an-email' } }, 'renter.email'],
    ])('rejects %s with a 400 and stores nothing', async (_case, overrides, field) => {
      const response = await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, DEC_1, DEC_3, overrides))
        .expect(400);
      expect(typeof response.body.message).toBe('string');
      expect(response.body.message).toContain(field);
      expect(await countBookings()).toBe(0);
    });

    it('answers an unknown car with 404 and a deleted car with 404', async () => {
      await request(t.url)
        .post('/bookings')
        .send(bookingInput('5b0f6b8e-8d52-4a5e-9b4a-000000000000', DEC_1, DEC_3))
        .expect(404);
      await request(t.url).delete(`/cars/${car.id}`).expect(200);
      const response = await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, DEC_1, DEC_3))
        .expect(404);
      expect(response.body.message).toBe('Car not found');
      expect(await countBookings()).toBe(0);
    });

    it('refuses a car marked unavailable with 409', async () => {
      await request(t.url).patch(`/cars/${car.id}`).send({ available: false }).expect(200);
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, DEC_1, DEC_3))
        .expect(409);
    });

    it('refuses overlapping dates with 409 and accepts adjacent ones', async () => {
      await createBooking(t.url, car.id, DEC_1, DEC_3);
      const overlap = await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(1), DEC_5))
        .expect(409);
      expect(overlap.body).toEqual({
        statusCode: 409,
        message: 'The car is already booked for an overlapping period',
        error: 'Conflict',
      });
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(-3), day(4)))
        .expect(409);
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, DEC_3, DEC_5))
        .expect(201); // starts when the other ends
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(-2), DEC_1))
        .expect(201);
      const other = await createCar(t.url);
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(other.id, DEC_1, DEC_3))
        .expect(201);
      expect(await countBookings()).toBe(4);
    });

    it('frees the dates of cancelled and rejected bookings', async () => {
      const cancelled = await createBooking(t.url, car.id, DEC_1, DEC_3);
      await request(t.url).put(`/bookings/${cancelled.id}`).send({ status: 'Cancelled' }).expect(200);
      const rejected = await createBooking(t.url, car.id, DEC_1, DEC_3);
      await request(t.url).put(`/bookings/${rejected.id}`).send({ status: 'Rejected' }).expect(200);
      await createBooking(t.url, car.id, DEC_1, DEC_3);
    });

    it('lets exactly one of 40 simultaneous overlapping requests win', async () => {
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          request(t.url)
            .post('/bookings')
            .send(bookingInput(car.id, day(index % 3), day(5))),
        ),
      );
      const statuses = responses.map((response) => response.status);
      // Anything but a win or a conflict, shown with its body.
      expect(responses.filter(({ status }) => status !== 201 && status !== 409).map(({ body }) => body)).toEqual([]);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(39);
      expect(await countBookings()).toBe(1);
    });
  });

  describe('POST /bookings for a car changed behind this process', () => {
    /**
     * Changes the car with triggers off (session_replication_role = replica): no `cars_changed`
     * NOTIFY, so the app keeps the snapshot it read and only the write's guard can tell.
     */
    const changeSilently = (set: string) =>
      withClient(t.databaseUrl, async (client) => {
        await client.query('SET session_replication_role = replica');
        await client.query(`UPDATE cars SET ${set} WHERE id = $1`, [car.id]);
      });
    const stored = () =>
      withClient(t.databaseUrl, async (client) => {
        const count = async (table: string) =>
          Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
        return {
          bookings: await count('bookings'),
          changes: await count('booking_changes'),
          notifications: await count('notifications'),
        };
      });

    const book = () =>
      request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, DEC_1, DEC_3));

    beforeEach(async () => {
      await createBooking(t.url, car.id, day(10), day(11)); // the app now holds the car as it was
    });

    it('prices the booking at the price the car has now', async () => {
      await changeSilently('price_per_day = 55');
      const response = await book().expect(201);
      expect(response.body.totalPrice).toBe(110);
      const again = await request(t.url).get(`/bookings/${response.body.id}`).expect(200);
      expect(again.body.totalPrice).toBe(110);
    });

    it('refuses a car made unavailable with 409 and a deleted one with 404, storing nothing', async () => {
      const before = await stored();
      await changeSilently('available = false');
      await book().expect(409);
      await changeSilently('available = true, deleted_at = now()');
      await book().expect(404);
      expect(await stored()).toEqual(before);
    });

    it('books a car made available again: a refusal is never made on what it remembers', async () => {
      await request(t.url).patch(`/cars/${car.id}`).send({ available: false }).expect(200);
      await book().expect(409);
      await changeSilently('available = true');
      await book().expect(201);
    });

    it('stores neither history nor notification for a booking refused by the database', async () => {
      const before = await stored();
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(10), day(11)))
        .expect(409); // overlap
      expect(await stored()).toEqual(before);
      expect(before).toEqual({ bookings: 1, changes: 1, notifications: 1 });
    });
  });

  describe('PATCH and PUT /bookings/:id', () => {
    it.each([
      ['Pending', 'Confirmed'],
      ['Pending', 'Rejected'],
      ['Pending', 'Cancelled'],
    ])('moves %s to %s', async (_from, to) => {
      const booking = await createBooking(t.url, car.id, DEC_1, DEC_3);
      const response = await request(t.url).patch(`/bookings/${booking.id}`).send({ status: to }).expect(200);
      expect(response.body.status).toBe(to);
    });

    it.each([['Completed'], ['Cancelled']])('moves Confirmed to %s', async (to) => {
      const { start, end } = started(); // only a rental that has begun can be Completed
      const booking = await createBooking(t.url, car.id, start, end);
      await request(t.url).put(`/bookings/${booking.id}`).send({ status: 'Confirmed' }).expect(200);
      const response = await request(t.url).put(`/bookings/${booking.id}`).send({ status: to }).expect(200);
      expect(response.body.status).toBe(to);
    });

    const paths: Record<string, string[]> = {
      Pending: [],
      Confirmed: ['Confirmed'],
      Completed: ['Confirmed', 'Completed'],
      Cancelled: ['Cancelled'],
      Rejected: ['Rejected'],
    };
    const illegal: [string, string][] = [
      ['Pending', 'Completed'],
      ['Confirmed', 'Pending'],
      ['Confirmed', 'Rejected'],
      ...['Pending', 'Confirmed', 'Cancelled', 'Rejected'].map((to) => ['Completed', to] as [string, string]),
      ...['Pending', 'Confirmed', 'Completed', 'Rejected'].map((to) => ['Cancelled', to] as [string, string]),
      ...['Pending', 'Confirmed', 'Completed', 'Cancelled'].map((to) => ['Rejected', to] as [string, string]),
    ];
    it.each(illegal)('refuses %s → %s with a 409 naming both', async (from, to) => {
      const { start, end } = started();
      const booking = await createBooking(t.url, car.id, start, end);
      for (const step of paths[from])
        await request(t.url).patch(`/bookings/${booking.id}`).send({ status: step }).expect(200);
      const response = await request(t.url).patch(`/bookings/${booking.id}`).send({ status: to }).expect(409);
      expect(response.body.message).toBe(`Cannot change booking status from ${from} to ${to}`);
      const after = await request(t.url).get(`/bookings/${booking.id}`).expect(200);
      expect(after.body.status).toBe(from);
    });

    it('treats setting the current status again as a no-op', async () => {
      const booking = await createBooking(t.url, car.id, DEC_1, DEC_3);
      await request(t.url).patch(`/bookings/${booking.id}`).send({ status: 'Pending' }).expect(200);
      await request(t.url).patch(`/bookings/${booking.id}`).send({ status: 'Cancelled' }).expect(200);
      const again = await request(t.url).patch(`/bookings/${booking.id}`).send({ status: 'Cancelled' }).expect(200);
      expect(again.body.status).toBe('Cancelled');
    });

    it('sets the paid flag alone, and accepts the whole booking object the table sends', async () => {
      const booking = await createBooking(t.url, car.id, DEC_1, DEC_3);
      const whole = (await request(t.url).get(`/bookings/${booking.id}`).expect(200)).body;
      const response = await request(t.url)
        .put(`/bookings/${booking.id}`)
        .send({ ...whole, isPaid: true, totalPrice: 1, carId: 'ignored' })
        .expect(200);
      expect(response.body).toMatchObject({
        isPaid: true,
        status: 'Pending',
        totalPrice: booking.totalPrice,
        carId: car.id,
      });
    });

    it.each([[{ status: 'Done' }], [{ status: 'pending' }], [{ isPaid: 'yes' }]])(
      'rejects %j with a 400',
      async (body) => {
        const booking = await createBooking(t.url, car.id, DEC_1, DEC_3);
        const response = await request(t.url).patch(`/bookings/${booking.id}`).send(body).expect(400);
        expect(typeof response.body.message).toBe('string');
      },
    );

    it('answers unknown and malformed ids with 404 and 400', async () => {
      await request(t.url).patch('/bookings/5b0f6b8e-8d52-4a5e-9b4a-000000000000').send({ isPaid: true }).expect(404);
      await request(t.url).put('/bookings/5b0f6b8e-8d52-4a5e-9b4a-000000000000').send({ isPaid: true }).expect(404);
      await request(t.url).patch('/bookings/42').send({ isPaid: true }).expect(400);
      await request(t.url).get('/bookings/5b0f6b8e-8d52-4a5e-9b4a-000000000000').expect(404);
      await request(t.url).get('/bookings/nope').expect(400);
    });
  });

  describe('GET /bookings', () => {
    it('lists newest first and filters by car, status and dates', async () => {
      const other = await createCar(t.url);
      const first = await createBooking(t.url, car.id, DEC_1, DEC_3);
      const second = await createBooking(t.url, car.id, DEC_3, DEC_5);
      const third = await createBooking(t.url, other.id, day(31), day(32));
      await request(t.url).patch(`/bookings/${second.id}`).send({ status: 'Confirmed' }).expect(200);
      const ids = async (query: string) => {
        const response = await request(t.url).get(`/bookings?${query}`).expect(200);
        expect(response.headers['x-total-count']).toBe(String(response.body.length));
        return response.body.map((booking: { id: string }) => booking.id);
      };
      expect(await ids('')).toEqual([third.id, second.id, first.id]);
      expect(await ids(`carId=${car.id}`)).toEqual([second.id, first.id]);
      expect(await ids('status=Confirmed')).toEqual([second.id]);
      expect(await ids(`from=${day(3, 0)}`)).toEqual([third.id, second.id]);
      expect(await ids(`to=${day(1, 0)}`)).toEqual([first.id]);
      expect(await ids(`from=${day(1, 0)}&to=${day(3, 0)}`)).toEqual([second.id, first.id]);
      const page = await request(t.url).get('/bookings?limit=1&offset=1').expect(200);
      expect(page.body.map((booking: { id: string }) => booking.id)).toEqual([second.id]);
      expect(page.headers['x-total-count']).toBe('3');
    });

    it.each(['status=Unknown', 'carId=12', 'from=soon', 'limit=5000'])('rejects %s with a 400', async (query) => {
      await request(t.url).get(`/bookings?${query}`).expect(400);
    });
  });
});
