import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useTestApp } from './support/app.js';
import { bookingInput, carInput, createCar, reviewInput } from './support/builders.js';
import { day } from './support/dates.js';

describe('Idempotency-Key', () => {
  const t = useTestApp();
  const bookingCount = async () => Number((await request(t.url).get('/bookings').expect(200)).headers['x-total-count']);

  it('replays the first response to a retry, and creates one booking', async () => {
    const car = await createCar(t.url);
    const body = bookingInput(car.id, day(0), day(2));
    const first = await request(t.url).post('/bookings').set('Idempotency-Key', 'retry-1').send(body).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await request(t.url).post('/bookings').set('Idempotency-Key', 'retry-1').send(body).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await bookingCount()).toBe(1);
  });

  it('answers 422 to the same key with a different body, and runs nothing', async () => {
    const car = await createCar(t.url);
    await request(t.url)
      .post('/bookings')
      .set('Idempotency-Key', 'k')
      .send(bookingInput(car.id, day(0), day(2)))
      .expect(201);
    const other = await request(t.url)
      .post('/bookings')
      .set('Idempotency-Key', 'k')
      .send(bookingInput(car.id, day(3), day(4)))
      .expect(422);
    expect(other.body).toMatchObject({ statusCode: 422, message: expect.stringMatching(/different request/) });
    expect(await bookingCount()).toBe(1);
  });

  it('lets ten concurrent requests with one key create exactly one booking', async () => {
    const car = await createCar(t.url);
    const body = bookingInput(car.id, day(0), day(2));
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => request(t.url).post('/bookings').set('Idempotency-Key', 'burst').send(body)),
    );
    const created = responses.filter((response) => response.status === 201);
    const busy = responses.filter((response) => response.status === 409);
    expect(created.length + busy.length).toBe(10);
    expect(created.length).toBeGreaterThanOrEqual(1); // late ones may already get the replay
    expect(new Set(created.map((response) => response.body.id as string)).size).toBe(1);
    for (const response of busy) expect(response.body.message).toMatch(/still in progress/);
    expect(await bookingCount()).toBe(1);
    const retry = await request(t.url).post('/bookings').set('Idempotency-Key', 'burst').send(body).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(created[0].body.id);
  });

  it('replays a refusal too, with its details', async () => {
    const invalid = { ...carInput(), year: 1800 };
    const first = await request(t.url).post('/cars').set('Idempotency-Key', 'bad-car').send(invalid).expect(400);
    const retry = await request(t.url).post('/cars').set('Idempotency-Key', 'bad-car').send(invalid).expect(400);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
  });

  it('works on reviews and cars, keeps keys apart per route, and changes nothing without the header', async () => {
    const car = await createCar(t.url);
    const review = reviewInput(car.id);
    const a = await request(t.url).post('/reviews').set('Idempotency-Key', 'r').send(review).expect(201);
    const b = await request(t.url).post('/reviews').set('Idempotency-Key', 'r').send(review).expect(201);
    expect(b.body.id).toBe(a.body.id);
    // The same key on another route is another request: 422, not a replay of the review.
    await request(t.url).post('/cars').set('Idempotency-Key', 'r').send(review).expect(422);
    await request(t.url).post('/reviews').send(review).expect(201);
    await request(t.url).post('/reviews').send(review).expect(201);
    expect((await request(t.url).get('/reviews').expect(200)).body).toHaveLength(3);
  });

  it('refuses a malformed key', async () => {
    const car = await createCar(t.url);
    await request(t.url).post('/reviews').set('Idempotency-Key', 'x'.repeat(256)).send(reviewInput(car.id)).expect(400);
    expect((await request(t.url).get('/reviews').expect(200)).body).toHaveLength(0);
  });
});
