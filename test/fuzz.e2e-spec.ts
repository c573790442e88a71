import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { useTestApp } from './support/app.js';
import { bookingInput, carInput, createBooking, createCar, reviewInput } from './support/builders.js';
import { day } from './support/dates.js';

/**
 * Generated bodies, queries and path ids against every route: whatever arrives,
 * the answer is never a 5xx. Valid inputs with fields swapped for arbitrary JSON
 * reach deep into validation; arbitrary JSON and strings cover the rest.
 */
describe('Fuzzing every route', () => {
  const t = useTestApp();
  let carId: string;
  let bookingId: string;
  const runs = { numRuns: 100 };

  /** A car, a booking and a review to aim at (the database is emptied before each test). */
  const anchors = async () => {
    const car = await createCar(t.url);
    carId = car.id;
    bookingId = (await createBooking(t.url, car.id, day(0), day(2))).id;
    await request(t.url).post('/reviews').send(reviewInput(car.id)).expect(201);
  };

  /** A valid object with some fields replaced by arbitrary JSON, dropped, or joined by unknown ones. */
  const mutated = (valid: Record<string, unknown>) =>
    fc
      .tuple(
        fc.record(
          Object.fromEntries(
            Object.entries(valid).map(([key, value]) => [
              key,
              fc.oneof(fc.constant(value), fc.jsonValue(), fc.constant(undefined)),
            ]),
          ),
        ),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
      )
      .map(([fields, extra]) => ({ ...extra, ...fields }));

  const body = (valid: Record<string, unknown>) => fc.oneof(mutated(valid), fc.jsonValue());
  const pathId = () =>
    fc.oneof(fc.string(), fc.uuid(), fc.integer().map(String), fc.constant('999999999999999999999')).filter((value) => {
      try {
        return encodeURIComponent(value).length > 0;
      } catch {
        return false; // a lone surrogate has no URL form
      }
    });
  const query = (names: string[]) =>
    fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string()), fc.oneof(fc.string(), fc.integer().map(String)), {
      maxKeys: 4,
    });
  const toQuery = (values: Record<string, string>) => {
    try {
      return new URLSearchParams(values).toString();
    } catch {
      return '';
    }
  };

  const expectNo5xx = async (method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, payload?: unknown) => {
    const call = request(t.url)[method](path);
    const response =
      payload === undefined
        ? await call
        : await call.set('Content-Type', 'application/json').send(JSON.stringify(payload));
    if (response.status >= 500)
      throw new Error(`${method.toUpperCase()} ${path} -> ${response.status} ${response.text}`);
    if (response.status >= 400) expect(typeof response.body.message).toBe('string');
  };

  it('never answers 5xx to generated car bodies, queries and ids', async () => {
    await anchors();
    await fc.assert(
      fc.asyncProperty(body(carInput()), (payload) => expectNo5xx('post', '/cars', payload)),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(body(carInput()), (payload) => expectNo5xx('patch', `/cars/${carId}`, payload)),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(query(['available', 'location', 'type', 'from', 'to', 'limit', 'offset']), (values) =>
        expectNo5xx('get', `/cars?${toQuery(values)}`),
      ),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(pathId(), async (id) => {
        await expectNo5xx('get', `/cars/${encodeURIComponent(id)}`);
        await expectNo5xx('patch', `/cars/${encodeURIComponent(id)}`, { make: 'x' });
        await expectNo5xx('delete', `/cars/${encodeURIComponent(id)}`);
      }),
      runs,
    );
  });

  it('never answers 5xx to generated booking bodies, queries and ids', async () => {
    await anchors();
    await fc.assert(
      fc.asyncProperty(body(bookingInput(carId, day(3), day(5))), (payload) =>
        expectNo5xx('post', '/bookings', payload),
      ),
      runs,
    );
    const change = { status: 'Confirmed', isPaid: true };
    for (const method of ['patch', 'put'] as const) {
      await fc.assert(
        fc.asyncProperty(body(change), (payload) => expectNo5xx(method, `/bookings/${bookingId}`, payload)),
        runs,
      );
    }
    await fc.assert(
      fc.asyncProperty(query(['carId', 'status', 'from', 'to', 'limit', 'offset']), (values) =>
        expectNo5xx('get', `/bookings?${toQuery(values)}`),
      ),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(pathId(), async (id) => {
        await expectNo5xx('get', `/bookings/${encodeURIComponent(id)}`);
        await expectNo5xx('put', `/bookings/${encodeURIComponent(id)}`, change);
      }),
      runs,
    );
  });

  it('never answers 5xx to generated reviews, notifications and chat history requests', async () => {
    await anchors();
    await fc.assert(
      fc.asyncProperty(body(reviewInput(carId)), (payload) => expectNo5xx('post', '/reviews', payload)),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(query(['carId', 'limit', 'offset']), (values) =>
        expectNo5xx('get', `/reviews?${toQuery(values)}`),
      ),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(query(['unread', 'limit', 'offset']), (values) =>
        expectNo5xx('get', `/notifications?${toQuery(values)}`),
      ),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(query(['limit', 'before']), (values) => expectNo5xx('get', `/chat/messages?${toQuery(values)}`)),
      runs,
    );
    await fc.assert(
      fc.asyncProperty(pathId(), async (id) => {
        await expectNo5xx('get', `/reviews/${encodeURIComponent(id)}`);
        await expectNo5xx('post', `/notifications/${encodeURIComponent(id)}/read`);
      }),
      runs,
    );
  });
});
