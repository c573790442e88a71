import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useTestApp } from './support/app.js';
import { carInput, createBooking, createCar } from './support/builders.js';
import { day } from './support/dates.js';

describe('Cars', () => {
  const t = useTestApp();

  describe('POST /cars', () => {
    it('creates a car, stripping the id and unknown fields the dashboard posts back', async () => {
      const response = await request(t.url)
        .post('/cars')
        .send({ ...carInput({ pricePerDay: 45.5 }), id: '', averageRating: 3, hacker: true })
        .expect(201);
      expect(response.body).toMatchObject({
        make: 'Toyota',
        year: 2023,
        seats: 5,
        pricePerDay: 45.5,
        available: true,
        features: ['Bluetooth', ''],
        images: ['/placeholder.svg?height=200&width=300'],
        averageRating: null,
        reviewCount: 0,
      });
      expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.body).not.toHaveProperty('hacker');
      expect(typeof response.body.pricePerDay).toBe('number');
    });

    it('fills optional fields with empty values, never null', async () => {
      const { description, features, images, available, ...required } = carInput();
      void description;
      void features;
      void images;
      void available;
      const response = await request(t.url).post('/cars').send(required).expect(201);
      expect(response.body).toMatchObject({ description: '', features: [], images: [], available: true });
    });

    it.each([
      ['a missing make', { make: undefined }, 'make'],
      ['an empty model', { model: '' }, 'model'],
      ['a fractional year', { year: 2020.5 }, 'year'],
      ['a year before 1900', { year: 1850 }, 'year'],
      ['zero seats', { seats: 0 }, 'seats'],
      ['a zero price', { pricePerDay: 0 }, 'pricePerDay'],
      ['a negative price', { pricePerDay: -5 }, 'pricePerDay'],
      ['a price as text', { pricePerDay: 'cheap' }, 'pricePerDay'],
      ['features that are not an array', { features: 'GPS' }, 'features'],
      ['images with a number', { images: [3] }, 'images'],
      ['available as a string', { available: 'yes' }, 'available'],
      ['a null description', { description: null }, 'description'],
    ])('rejects %s with a 400 and a message string', async (_case, overrides, field) => {
      const response = await request(t.url).post('/cars').send(carInput(overrides)).expect(400);
      expect(typeof response.body.message).toBe('string');
      expect(response.body.message).toContain(field);
      const list = await request(t.url).get('/cars').expect(200);
      expect(list.body).toHaveLength(0);
    });

    it('gives one basic message per invalid field', async () => {
      const response = await request(t.url).post('/cars').send({ make: 'X', seats: 'many' }).expect(400);
      expect(response.body.errors).toContain('model should not be empty');
      expect(response.body.errors).toContain('seats must be an integer number');
      expect(response.body.errors.filter((message: string) => message.startsWith('model'))).toHaveLength(1);
    });

    it('answers malformed JSON with a 400', async () => {
      const response = await request(t.url)
        .post('/cars')
        .set('Content-Type', 'application/json')
        .send('{"make":')
        .expect(400);
      expect(typeof response.body.message).toBe('string');
    });

    it('answers a body over the limit with a 413', async () => {
      const big = carInput({ description: 'x'.repeat(2 * 1024 * 1024) });
      const response = await request(t.url).post('/cars').send(big).expect(413);
      expect(typeof response.body.message).toBe('string');
    });
  });

  describe('GET /cars/:id', () => {
    it('returns the car', async () => {
      const car = await createCar(t.url);
      const response = await request(t.url).get(`/cars/${car.id}`).expect(200);
      expect(response.body.id).toBe(car.id);
    });

    it('answers an unknown id with 404 and a malformed one with 400', async () => {
      const missing = await request(t.url).get('/cars/5b0f6b8e-8d52-4a5e-9b4a-000000000000').expect(404);
      expect(missing.body).toEqual({ statusCode: 404, message: 'Car not found', error: 'Not Found' });
      const malformed = await request(t.url).get('/cars/not-a-uuid').expect(400);
      expect(typeof malformed.body.message).toBe('string');
    });

    it('adds the average rating and review count', async () => {
      const car = await createCar(t.url);
      for (const rating of [5, 4, 4]) {
        await request(t.url)
          .post('/reviews')
          .send({ carId: car.id, renterId: 'r', renterName: 'R', rating, comment: '' })
          .expect(201);
      }
      const response = await request(t.url).get(`/cars/${car.id}`).expect(200);
      expect(response.body.averageRating).toBe(4.33);
      expect(response.body.reviewCount).toBe(3);
    });
  });

  describe('PATCH /cars/:id', () => {
    it('changes only the fields sent, ignoring the id in the body', async () => {
      const car = await createCar(t.url, { features: ['GPS'] });
      const response = await request(t.url)
        .patch(`/cars/${car.id}`)
        .send({ id: 'other', pricePerDay: '55.25', available: false })
        .expect(200);
      expect(response.body).toMatchObject({
        id: car.id,
        pricePerDay: 55.25,
        available: false,
        features: ['GPS'],
        make: 'Toyota',
      });
    });

    it('rejects invalid values and leaves the car unchanged', async () => {
      const car = await createCar(t.url);
      await request(t.url).patch(`/cars/${car.id}`).send({ seats: -1 }).expect(400);
      const after = await request(t.url).get(`/cars/${car.id}`).expect(200);
      expect(after.body.seats).toBe(5);
    });

    it('answers an unknown car with 404', async () => {
      await request(t.url).patch('/cars/5b0f6b8e-8d52-4a5e-9b4a-000000000000').send({ seats: 4 }).expect(404);
    });
  });

  describe('DELETE /cars/:id', () => {
    it('soft-deletes a car: gone from the API, its past bookings keep it', async () => {
      const car = await createCar(t.url);
      const booking = await createBooking(t.url, car.id, day(40), day(42));
      await request(t.url).patch(`/bookings/${booking.id}`).send({ status: 'Cancelled' }).expect(200);

      const response = await request(t.url).delete(`/cars/${car.id}`).expect(200);
      expect(response.body).toEqual({ success: true });
      await request(t.url).get(`/cars/${car.id}`).expect(404);
      const list = await request(t.url).get('/cars').expect(200);
      expect(list.body).toHaveLength(0);
      const kept = await request(t.url).get(`/bookings/${booking.id}`).expect(200);
      expect(kept.body.car).toMatchObject({ id: car.id, make: 'Toyota' });
      await request(t.url).delete(`/cars/${car.id}`).expect(404);
    });

    it('refuses to delete a car with a pending or confirmed booking', async () => {
      const car = await createCar(t.url);
      const booking = await createBooking(t.url, car.id, day(50), day(52));
      const pending = await request(t.url).delete(`/cars/${car.id}`).expect(409);
      expect(pending.body.message).toContain('pending or confirmed');
      await request(t.url).patch(`/bookings/${booking.id}`).send({ status: 'Confirmed' }).expect(200);
      await request(t.url).delete(`/cars/${car.id}`).expect(409);
      await request(t.url).get(`/cars/${car.id}`).expect(200);
    });

    it('answers a malformed id with 400', async () => {
      await request(t.url).delete('/cars/123').expect(400);
    });
  });

  describe('GET /cars', () => {
    it('lists cars newest first as a plain array with X-Total-Count', async () => {
      const first = await createCar(t.url);
      const second = await createCar(t.url);
      const response = await request(t.url).get('/cars').expect(200);
      expect(response.headers['x-total-count']).toBe('2');
      expect(response.body.map((car: { id: string }) => car.id)).toEqual([second.id, first.id]);
    });

    it('filters by availability, location and type, case-insensitively', async () => {
      const suv = await createCar(t.url, { type: 'SUV', location: 'Rabat' });
      await createCar(t.url, { type: 'Sedan', location: 'Rabat', available: false });
      await createCar(t.url, { type: 'SUV', location: 'Fes' });
      const ids = async (query: string) =>
        (await request(t.url).get(`/cars?${query}`).expect(200)).body.map((car: { id: string }) => car.id);
      expect(await ids('location=rabat&type=suv')).toEqual([suv.id]);
      expect(await ids('available=false')).toHaveLength(1);
      expect(await ids('available=true')).toHaveLength(2);
      expect(await ids('type=SUV')).toHaveLength(2);
    });

    it('with from and to, lists only cars free for the whole range', async () => {
      const booked = await createCar(t.url);
      const free = await createCar(t.url);
      const released = await createCar(t.url);
      await createBooking(t.url, booked.id, day(60), day(62));
      const cancelled = await createBooking(t.url, released.id, day(60), day(62));
      await request(t.url).patch(`/bookings/${cancelled.id}`).send({ status: 'Cancelled' }).expect(200);

      const overlapping = await request(t.url)
        .get(`/cars?from=${day(61, 0)}&to=${day(65, 0)}`)
        .expect(200);
      expect(overlapping.body.map((car: { id: string }) => car.id).sort()).toEqual([free.id, released.id].sort());
      const adjacent = await request(t.url)
        .get(`/cars?from=${day(62)}&to=${day(63, 0)}`)
        .expect(200);
      expect(adjacent.body).toHaveLength(3);
    });

    it('pages with limit and offset', async () => {
      for (let i = 0; i < 5; i++) await createCar(t.url);
      const page = await request(t.url).get('/cars?limit=2&offset=3').expect(200);
      expect(page.body).toHaveLength(2);
      expect(page.headers['x-total-count']).toBe('5');
    });

    it.each([
      'limit=0',
      'limit=abc',
      'offset=-1',
      'available=maybe',
      'from=yesterday&to=2026-01-01T00:00:00Z',
      'from=2026-01-01T00:00:00Z',
    ])('rejects the bad query %s with a 400', async (query) => {
      const response = await request(t.url).get(`/cars?${query}`).expect(400);
      expect(typeof response.body.message).toBe('string');
    });
  });

  describe('GET /cars caching', () => {
    it('answers If-None-Match with 304 and reflects every kind of write at once', async () => {
      const car = await createCar(t.url);
      const first = await request(t.url).get('/cars').expect(200);
      expect(first.headers['content-type']).toMatch(/^application\/json/);
      const etag = first.headers.etag;
      expect(etag).toBeTruthy();
      await request(t.url).get('/cars').set('If-None-Match', etag).expect(304);

      await request(t.url)
        .post('/reviews')
        .send({ carId: car.id, renterId: 'r', renterName: 'R', rating: 2 })
        .expect(201);
      const rated = await request(t.url).get('/cars').set('If-None-Match', etag).expect(200);
      expect(rated.body[0]).toMatchObject({ averageRating: 2, reviewCount: 1 });

      await request(t.url).patch(`/cars/${car.id}`).send({ pricePerDay: 99 }).expect(200);
      expect((await request(t.url).get('/cars').expect(200)).body[0].pricePerDay).toBe(99);

      const range = `/cars?from=${day(70, 0)}&to=${day(71, 0)}`;
      expect((await request(t.url).get(range).expect(200)).body).toHaveLength(1);
      await createBooking(t.url, car.id, day(70), day(72));
      expect((await request(t.url).get(range).expect(200)).body).toHaveLength(0);

      await createCar(t.url);
      expect((await request(t.url).get('/cars').expect(200)).body).toHaveLength(2);
    });

    it('forgets a deleted car at once', async () => {
      const car = await createCar(t.url);
      expect((await request(t.url).get('/cars').expect(200)).body).toHaveLength(1);
      await request(t.url).delete(`/cars/${car.id}`).expect(200);
      expect((await request(t.url).get('/cars').expect(200)).body).toHaveLength(0);
    });
  });

  describe('CORS', () => {
    it('answers the dashboard preflight for PUT with Content-Type and Authorization', async () => {
      const response = await request(t.url)
        .options('/bookings/x')
        .set('Origin', 'http://localhost:3001')
        .set('Access-Control-Request-Method', 'PUT')
        .set('Access-Control-Request-Headers', 'content-type,authorization')
        .expect(204);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:3001');
      expect(response.headers['access-control-allow-methods']).toContain('PUT');
      expect(response.headers['access-control-allow-headers']).toContain('Authorization');
    });
  });
});
