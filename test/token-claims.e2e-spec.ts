import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput } from './support/builders.js';
import { day } from './support/dates.js';
import { signToken, TEST_SECRET } from './support/tokens.js';

describe('Token claims are input', () => {
  let t: TestApp;
  let agencyA: string;
  let agencyB: string;
  let car: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET });
    const admin = await signToken({ sub: 'admin-1', role: 'admin' });
    agencyA = (await request(t.url).post('/agencies').set(bearer(admin)).send({ name: 'Atlas' }).expect(201)).body.id;
    agencyB = (await request(t.url).post('/agencies').set(bearer(admin)).send({ name: 'Bahia' }).expect(201)).body.id;
    const clerk = await signToken({ sub: 'clerk-a', role: 'agency', agency_id: agencyA });
    car = (await request(t.url).post('/cars').set(bearer(clerk)).send(carInput()).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it.each([
    ['name', { name: 'a\u0000b' }],
    ['email', { email: 'a\u0000@example.com' }],
    ['sub', { sub: 'renter\u0000-1' }],
    ['name', { name: 'half \ud800 a pair' }],
  ])('refuses a token whose %s claim is not text with a 401 naming it, never a 500', async (claim, claims) => {
    const token = await signToken({ sub: 'renter-1', role: 'renter', ...claims });
    const response = await request(t.url)
      .post('/bookings')
      .set(bearer(token))
      .send(bookingInput(car, day(5), day(6)))
      .expect(401);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(response.body.message).toContain(claim);
  });

  it('keeps Idempotency-Key answers to one whole identity: the same sub with another role or agency is someone else', async () => {
    const renter = await signToken({ sub: 'renter-1', role: 'renter', name: 'Amina' });
    const sameSubAgency = await signToken({ sub: 'renter-1', role: 'agency', agency_id: agencyB });
    const body = bookingInput(car, day(20), day(21));
    const first = await request(t.url).post('/bookings').set(bearer(renter)).set('Idempotency-Key', 'k-1').send(body);
    expect(first.status).toBe(201);
    const other = await request(t.url)
      .post('/bookings')
      .set(bearer(sameSubAgency))
      .set('Idempotency-Key', 'k-1')
      .send(body);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.status).toBe(404); // agency B runs its own request: the car is not its own
    const again = await request(t.url).post('/bookings').set(bearer(renter)).set('Idempotency-Key', 'k-1').send(body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });
});

describe('Claims where an identity provider puts them', () => {
  it('reads the role from a dotted path (Keycloak realm_access.roles: the first known role of a list)', async () => {
    const t = await createTestApp({
      AUTH_JWT_SECRET: TEST_SECRET,
      AUTH_ROLE_CLAIM: 'realm_access.roles',
      AUTH_AGENCY_CLAIM: 'attributes.agency',
    });
    try {
      const admin = await signToken({ sub: 'a-1', realm_access: { roles: ['offline_access', 'admin', 'renter'] } });
      const agency = (
        await request(t.url).post('/agencies').set('Authorization', `Bearer ${admin}`).send({ name: 'K' })
      ).body.id as string;
      expect(agency).toMatch(/^[0-9a-f-]{36}$/);
      const clerk = await signToken({ sub: 'c-1', realm_access: { roles: ['agency'] }, attributes: { agency } });
      const car = await request(t.url)
        .post('/cars')
        .set('Authorization', `Bearer ${clerk}`)
        .send(carInput())
        .expect(201);
      expect(car.body.agencyId).toBe(agency);
      const plain = await signToken({ sub: 'x', role: 'admin' }); // the default claim is not read any more
      const refused = await request(t.url).get('/bookings').set('Authorization', `Bearer ${plain}`).expect(401);
      expect(refused.body.message).toContain('realm_access.roles');
    } finally {
      await t.close();
    }
  });

  it('reads a namespaced claim whose name has dots (Auth0)', async () => {
    const t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET, AUTH_ROLE_CLAIM: 'https://cars.example/role' });
    try {
      const admin = await signToken({ sub: 'a-1', 'https://cars.example/role': 'admin' });
      await request(t.url).get('/bookings').set('Authorization', `Bearer ${admin}`).expect(200);
    } finally {
      await t.close();
    }
  });
});
