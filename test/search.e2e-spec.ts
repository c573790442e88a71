import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput, reviewInput } from './support/builders.js';
import { day } from './support/dates.js';
import { signToken, TEST_SECRET } from './support/tokens.js';

/**
 * The catalogue's search against answers worked out by hand on a small fleet: five cars of an active
 * agency and one of a suspended agency (never shown to renters or anonymous callers).
 */
describe('GET /cars: search filters and sorting', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  /** Car name → id. */
  const cars: Record<string, string> = {};
  let suspended: string;

  /** The model names GET /cars answers with `query`, as a renter. */
  const search = async (query: string, who = 'renter') => {
    const response = await request(t.url).get(`/cars?${query}`).set(as(who)).expect(200);
    return (response.body as { model: string }[]).map((car) => car.model);
  };
  /** Two cars of equal price come in id order. */
  const byId = (...models: string[]) => [...models].sort((a, b) => (cars[a] < cars[b] ? -1 : 1));

  beforeAll(async () => {
    t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET });
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin' });
    tokens.renter = await signToken({ sub: 'renter-1', role: 'renter', name: 'Youssef' });
    const active = (await request(t.url).post('/agencies').set(as('admin')).send({ name: 'Atlas' }).expect(201)).body
      .id;
    suspended = (await request(t.url).post('/agencies').set(as('admin')).send({ name: 'Gone' }).expect(201)).body.id;
    tokens.agency = await signToken({ sub: 'clerk', role: 'agency', agency_id: active });
    tokens.gone = await signToken({ sub: 'clerk-g', role: 'agency', agency_id: suspended });
    const fleet: [string, Record<string, unknown>][] = [
      ['C3', { make: 'Citroën', fuelType: 'Diesel', seats: 5, pricePerDay: 30, description: 'Petite citadine' }],
      ['Clio', { make: 'Renault', fuelType: 'Petrol', seats: 5, pricePerDay: 35, description: 'Citadine économique' }],
      ['Duster', { make: 'Dacia', fuelType: 'Diesel', seats: 5, pricePerDay: 45, description: 'SUV robuste' }],
      ['Land Cruiser', { make: 'Toyota', fuelType: 'Diesel', seats: 7, pricePerDay: 120, description: 'Grand SUV' }],
      [
        '208',
        {
          make: 'Peugeot',
          fuelType: 'Electric',
          seats: 4,
          pricePerDay: 35,
          description: 'Électrique, 100% silencieuse',
        },
      ],
    ];
    for (const [model, fields] of fleet) {
      const body = carInput({ model, ...fields });
      cars[model] = (await request(t.url).post('/cars').set(as('agency')).send(body).expect(201)).body.id;
    }
    const hidden = carInput({ make: 'Citroën', model: 'C5', fuelType: 'Diesel', pricePerDay: 25 });
    cars.C5 = (await request(t.url).post('/cars').set(as('gone')).send(hidden).expect(201)).body.id;
    await request(t.url)
      .patch(`/agencies/${suspended}/status`)
      .set(as('admin'))
      .send({ status: 'suspended', reason: 'Unpaid fees' })
      .expect(200);
    for (const [model, rating] of [
      ['Duster', 5],
      ['C3', 3],
      ['C3', 4],
    ] as const) {
      await request(t.url).post('/reviews').set(as('admin')).send(reviewInput(cars[model], { rating })).expect(201);
    }
    // The Duster is taken for the week searched below, and again a little later.
    for (const [start, end] of [
      [7, 10],
      [12, 14],
    ]) {
      const booking = bookingInput(cars.Duster, day(start), day(end));
      await request(t.url).post('/bookings').set(as('renter')).send(booking).expect(201);
    }
  });
  afterAll(() => t.close());

  it('finds words in make, model and description, whatever their case and accents', async () => {
    expect(await search('q=citroen')).toEqual(['C3']);
    expect(await search('q=CITADINE')).toEqual(['Clio', 'C3']);
    expect(await search('q=electrique')).toEqual(['208']);
    expect(await search('q=suv%20robuste')).toEqual(['Duster']);
    expect(await search('q=100%25')).toEqual(['208']); // % is a character, not a wildcard
    expect(await search('q=%25%25%25')).toEqual([]);
    expect(await search('q=_')).toEqual([]);
  });

  it('filters by price, fuel type, seats and agency', async () => {
    expect(await search('fuelType=diesel&sort=price')).toEqual(['C3', 'Duster', 'Land Cruiser']);
    expect(await search('priceMin=35&priceMax=45&sort=price')).toEqual([...byId('Clio', '208'), 'Duster']);
    expect(await search('seatsMin=6')).toEqual(['Land Cruiser']);
    expect(await search(`agencyId=${suspended}`)).toEqual([]);
    expect(await search(`agencyId=${suspended}`, 'admin')).toEqual(['C5']);
    expect(await search('q=citroen', 'admin')).toEqual(['C5', 'C3']);
  });

  it('sorts by price either way, by rating (unrated last) and newest first, ties by id', async () => {
    expect(await search('sort=-price')).toEqual(['Land Cruiser', 'Duster', ...byId('Clio', '208'), 'C3']);
    expect(await search('sort=price')).toEqual(['C3', ...byId('Clio', '208'), 'Duster', 'Land Cruiser']);
    expect(await search('sort=rating')).toEqual(['Duster', 'C3', '208', 'Land Cruiser', 'Clio']);
    expect(await search('sort=-createdAt')).toEqual(['208', 'Land Cruiser', 'Duster', 'Clio', 'C3']);
    const rated = (await request(t.url).get(`/cars/${cars.C3}`).expect(200)).body;
    expect(rated).toMatchObject({ averageRating: 3.5, reviewCount: 2 });
  });

  it("answers a renter's typical search: free for a week, under a price, one fuel, cheapest first", async () => {
    const week = `from=${encodeURIComponent(day(8))}&to=${encodeURIComponent(day(15))}`;
    expect(await search(`${week}&sort=price`)).toEqual(['C3', ...byId('Clio', '208'), 'Land Cruiser']);
    expect(await search(`${week}&priceMax=50&fuelType=Diesel&sort=price`)).toEqual(['C3']);
    // Between its two bookings ([day 7, day 10) and [day 12, day 14)) the Duster is free; across either, not.
    const free = async (from: string, to: string) =>
      (await search(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&q=duster`)).length === 1;
    expect(await free(day(10), day(12))).toBe(true);
    expect(await free(day(9), day(11))).toBe(false);
    expect(await free(day(11), day(13))).toBe(false);
    expect(await free(day(6), day(15))).toBe(false);
    expect(await free(day(14), day(20))).toBe(true);
    // The week right after the Duster's booking is free.
    const after = `from=${encodeURIComponent(day(14))}&to=${encodeURIComponent(day(21))}`;
    expect(await search(`${after}&priceMax=50&fuelType=Diesel&sort=price`)).toEqual(['C3', 'Duster']);
  });

  it('pages with the total in X-Total-Count, past the end too', async () => {
    const page = await request(t.url).get('/cars?fuelType=diesel&sort=price&limit=2').expect(200);
    expect(page.body.map((car: { model: string }) => car.model)).toEqual(['C3', 'Duster']);
    expect(page.headers['x-total-count']).toBe('3');
    const past = await request(t.url).get('/cars?fuelType=diesel&limit=2&offset=5').expect(200);
    expect(past.body).toEqual([]);
    expect(past.headers['x-total-count']).toBe('3');
  });

  it.each([
    ['sort=cheap', /sort must be one of/],
    ['priceMin=-1', /priceMin/],
    ['priceMin=abc', /priceMin/],
    ['priceMin=50&priceMax=40', /priceMax must not be below priceMin/],
    ['seatsMin=0', /seatsMin/],
    [`q=${'a'.repeat(101)}`, /q must be shorter/],
  ])('refuses %s with a 400', async (query, message) => {
    const response = await request(t.url).get(`/cars?${query}`).expect(400);
    expect(response.body.message).toMatch(message);
  });
});
