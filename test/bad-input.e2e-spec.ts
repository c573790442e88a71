import { request as httpRequest } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useTestApp } from './support/app.js';
import { bookingInput, carInput, createBooking, createCar, reviewInput } from './support/builders.js';
import { day } from './support/dates.js';
import { openSse } from './support/sse.js';
import { notificationsDelivered } from './support/database.js';
import { NotificationsService } from '../src/notifications/notifications.service.js';

/** Hostile or careless input: always a clear 4xx in the usual body, never a 500, nothing stored. */
describe('Bad input', () => {
  const t = useTestApp({ MAX_BOOKING_DAYS: '90' });
  const errorBody = (status: number) => ({
    statusCode: status,
    message: expect.any(String),
    error: expect.any(String),
  });
  const count = async (path: string) => Number((await request(t.url).get(path).expect(200)).headers['x-total-count']);

  describe('NUL characters (PostgreSQL text refuses them)', () => {
    it('answers 400 naming the field in a car, and stores nothing', async () => {
      const response = await request(t.url)
        .post('/cars')
        .send(carInput({ make: 'Toy\u0000ota' }))
        .expect(400);
      expect(response.body).toMatchObject(errorBody(400));
      expect(response.body.message).toMatch(/^make must not contain NUL/);
      expect(await count('/cars')).toBe(0);
    });

    it('answers 400 naming the field in a review comment, and stores nothing', async () => {
      const car = await createCar(t.url);
      const response = await request(t.url)
        .post('/reviews')
        .send(reviewInput(car.id, { comment: 'ok\u0000' }))
        .expect(400);
      expect(response.body.message).toMatch(/^comment must not contain NUL/);
      expect(await count('/reviews')).toBe(0);
    });

    it('answers 400 for a NUL in a query parameter or nested field', async () => {
      expect((await request(t.url).get('/cars?location=a%00b').expect(400)).body.message).toMatch(/^location/);
      const car = await createCar(t.url);
      const body = bookingInput(car.id, day(0), day(2), { renter: { name: 'A\u0000', email: 'a@example.com' } });
      expect((await request(t.url).post('/bookings').send(body).expect(400)).body.message).toMatch(/^renter\.name/);
    });
  });

  describe('lone surrogates (valid JSON, not text)', () => {
    /** The body as JSON text with `\ud800` where LONE stands: JSON.stringify would not write one. */
    const withLoneSurrogate = (body: object) => JSON.stringify(body).replace('LONE', '\\ud800');
    const post = (path: string, body: object) =>
      request(t.url).post(path).set('Content-Type', 'application/json').send(withLoneSurrogate(body));

    it('answers 400 naming the field in a booking, a car and a review, and stores nothing', async () => {
      const car = await createCar(t.url);
      const renter = { name: 'Amina LONE', email: 'amina@example.com' };
      const booking = await post('/bookings', bookingInput(car.id, day(0), day(2), { renter })).expect(400);
      expect(booking.body.message).toBe('renter.name must be well-formed Unicode (a lone surrogate)');
      expect((await post('/cars', carInput({ make: 'LONE' })).expect(400)).body.message).toMatch(/^make /);
      expect((await post('/reviews', reviewInput(car.id, { comment: 'LONE' })).expect(400)).body.message).toMatch(
        /^comment /,
      );
      expect([await count('/bookings'), await count('/cars'), await count('/reviews')]).toEqual([0, 1, 0]);
    });

    it('keeps characters outside the BMP (a surrogate pair) intact, notification included', async () => {
      const car = await createCar(t.url);
      const renter = { name: 'Amina 🚗', email: 'amina@example.com' };
      const created = await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(0), day(2), { renter }))
        .expect(201);
      const stored = await request(t.url).get(`/bookings/${created.body.id}`).expect(200);
      expect(stored.body.renter.name).toBe('Amina 🚗');
      const [notification] = (await request(t.url).get('/notifications').expect(200)).body;
      expect(notification.message).toContain('Amina 🚗');
      expect(notification.data.booking.renter.name).toBe('Amina 🚗');
    });
  });

  it('answers 400 to a JSON body nested 20,000 levels deep', async () => {
    const deep = '{"make":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const response = await request(t.url).post('/cars').set('Content-Type', 'application/json').send(deep);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject(errorBody(400));
  });

  it.each([
    ['1e-7', 400],
    ['12.345', 400],
    ['1e400', 400],
    ['12.35', 201],
  ])('validates pricePerDay %s arithmetically (%i)', async (price, status) => {
    const json = JSON.stringify(carInput()).replace('"pricePerDay":40', `"pricePerDay":${price}`);
    const response = await request(t.url).post('/cars').set('Content-Type', 'application/json').send(json);
    expect(response.status).toBe(status);
  });

  describe('JSON only', () => {
    it('answers 415 to a form-encoded or text body, and creates nothing', async () => {
      const car = await createCar(t.url);
      const form = `carId=${car.id}&startDate=${day(0)}&endDate=${day(2)}&renter[name]=x&renter[email]=x@example.com`;
      const asForm = await request(t.url)
        .post('/bookings')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(form);
      expect(asForm.status).toBe(415);
      expect(asForm.body).toMatchObject(errorBody(415));
      const asText = await request(t.url).post('/reviews').set('Content-Type', 'text/plain').send('{}');
      expect(asText.status).toBe(415);
      expect(await count('/bookings')).toBe(0);
    });

    it('still takes bodiless POSTs without a Content-Type', async () => {
      await request(t.url).post('/notifications/read-all').expect(200, { success: true });
    });
  });

  it('answers 413 and 431 in the usual body', async () => {
    const big = await request(t.url)
      .post('/cars')
      .send(carInput({ description: 'x'.repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject(errorBody(413));

    const headers = await new Promise<{ status: number; body: string; cors?: string }>((resolve, reject) => {
      const req = httpRequest(
        `${t.url}/cars`,
        { headers: { Origin: 'http://localhost:3001', 'X-Filler': 'x'.repeat(20_000) } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body,
              cors: response.headers['access-control-allow-origin'],
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(headers.status).toBe(431);
    expect(JSON.parse(headers.body)).toMatchObject(errorBody(431));
    expect(headers.cors).toBe('*'); // a browser page can read it too
  });

  describe('booking dates', () => {
    it('refuses a booking longer than MAX_BOOKING_DAYS, and one that starts in the past', async () => {
      const car = await createCar(t.url);
      const thousandYears = bookingInput(car.id, day(0), '3026-01-01T10:00:00.000Z');
      const response = await request(t.url).post('/bookings').send(thousandYears).expect(400);
      expect(response.body.message).toBe('A booking may last at most 90 days');
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(0), day(91)))
        .expect(400);
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(-33), day(-31)))
        .expect(400);
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(0), day(90)))
        .expect(201);
    });
  });

  describe('a deleted car', () => {
    it('still comes nested in every booking list and read that reaches it', async () => {
      const car = await createCar(t.url);
      const booking = await createBooking(t.url, car.id, day(0), day(2));
      await request(t.url).patch(`/bookings/${booking.id}`).send({ status: 'Cancelled' }).expect(200);
      await request(t.url).post('/reviews').send(reviewInput(car.id)).expect(201);
      await request(t.url).delete(`/cars/${car.id}`).expect(200);

      const nested = { id: booking.id, car: { id: car.id, make: 'Toyota' } };
      for (const path of [
        '/bookings',
        `/bookings?carId=${car.id}`,
        '/bookings?status=Cancelled',
        `/bookings?from=${day(0, 0)}`,
      ]) {
        const list = await request(t.url).get(path).expect(200);
        expect(list.body).toMatchObject([nested]);
      }
      expect((await request(t.url).get(`/bookings/${booking.id}`).expect(200)).body).toMatchObject(nested);
      const paid = await request(t.url).put(`/bookings/${booking.id}`).send({ isPaid: true }).expect(200);
      expect(paid.body).toMatchObject({ ...nested, isPaid: true });
      expect((await request(t.url).get(`/reviews?carId=${car.id}`).expect(200)).body).toHaveLength(1);
      await request(t.url).get(`/cars/${car.id}`).expect(404);
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(5), day(6)))
        .expect(404);
    });
  });

  describe('X-Request-Id', () => {
    it('echoes a short plain id and replaces anything else', async () => {
      const plain = await request(t.url).get('/cars').set('X-Request-Id', 'abc-123_x.y').expect(200);
      expect(plain.headers['x-request-id']).toBe('abc-123_x.y');
      for (const bad of ['has spaces in it', 'x'.repeat(129), 'evil\u00e9']) {
        const response = await request(t.url).get('/cars').set('X-Request-Id', bad);
        expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  });

  it('restarts a client that claims an id beyond the newest from the newest', async () => {
    const car = await createCar(t.url);
    await request(t.url).post('/reviews').send(reviewInput(car.id)).expect(201);
    await notificationsDelivered(t.databaseUrl, () => t.app.get(NotificationsService).deliveredUpTo);
    // An id from before a database reset: the stream restarts from the newest instead of waiting forever.
    const client = await openSse(`${t.url}/notifications/sse?lastEventId=999999999999999999`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await request(t.url)
      .post('/reviews')
      .send(reviewInput(car.id, { rating: 2 }))
      .expect(201);
    const [event] = await client.waitForEvents(1);
    expect(JSON.parse(event.data).message).toMatch(/^New 2-star review/);
    expect(BigInt(event.id!)).toBeLessThan(999999999999999999n);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.events).toHaveLength(1); // the first review is not replayed: it started from the newest
    client.close();
  });
});
