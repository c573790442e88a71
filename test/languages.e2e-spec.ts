import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { carInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { openSse } from './support/sse.js';
import { signToken, TOKEN_MODE } from './support/tokens.js';

const DAY = 24 * 60 * 60 * 1000;
const day = (n: number) => new Date(Date.now() + n * DAY).toISOString();

/** Notifications are stored as what happened and worded in each reader's language. */
describe('Languages', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  let car: string;

  beforeAll(async () => {
    t = await createTestApp(TOKEN_MODE);
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin' });
    const agency = (await request(t.url).post('/agencies').set(as('admin')).send({ name: 'Atlas' }).expect(201)).body
      .id as string;
    tokens.clerk = await signToken({ sub: 'clerk', role: 'agency', agency_id: agency, locale: 'fr' });
    tokens.amina = await signToken({ sub: 'renter-1', role: 'renter', name: 'Amina', locale: 'fr-MA' });
    tokens.sara = await signToken({ sub: 'renter-2', role: 'renter', name: 'Sara' });
    car = (
      await request(t.url)
        .post('/cars')
        .set(as('clerk'))
        .send(carInput({ make: 'Dacia', model: 'Duster' }))
        .expect(201)
    ).body.id as string;
  });
  afterAll(() => t.close());

  let booked = 0;
  /** A booking by `who`, on dates of its own. */
  const book = async (who: string) => {
    booked += 1;
    const dates = { startDate: day(3 * booked), endDate: day(3 * booked + 1) };
    return (
      await request(t.url)
        .post('/bookings')
        .set(as(who))
        .send({ carId: car, ...dates })
        .expect(201)
    ).body as {
      id: string;
    };
  };

  it('words a notification in the reader’s language: the token’s locale claim, then their profile’s', async () => {
    const booking = await book('amina');
    await request(t.url).put(`/bookings/${booking.id}`).set(as('clerk')).send({ status: 'Confirmed' }).expect(200);
    const mine = await request(t.url).get('/notifications').set(as('amina')).expect(200);
    expect(mine.body[0]).toMatchObject({
      title: 'Réservation confirmée',
      message: expect.stringMatching(
        /^Votre réservation de Dacia Duster \(\d+ \S+ – \d+ \S+\) est maintenant confirmée$/,
      ),
    });
    // The agency's clerk reads French too (the claim); the admin team, with neither, English.
    const agency = await request(t.url).get('/notifications').set(as('clerk')).expect(200);
    expect(agency.body.map((n: { title: string }) => n.title)).toEqual([
      'Réservation mise à jour',
      'Nouvelle réservation',
    ]);
    const admin = await request(t.url).get('/notifications').set(as('admin')).expect(200);
    expect(admin.body.map((n: { title: string }) => n.title)).toEqual(['Booking Updated', 'New Booking']);
    expect(admin.body[1].message).toMatch(
      /^New booking request for Dacia Duster \(\w{3} \d+ – \w{3} \d+\) from Amina$/,
    );

    // Her profile's language wins over the claim.
    await request(t.url).patch('/users/me').set(as('amina')).send({ locale: 'en-GB' }).expect(200);
    const english = await request(t.url).get('/notifications').set(as('amina')).expect(200);
    expect(english.body[0].title).toBe('Booking Confirmed');
    await request(t.url).patch('/users/me').set(as('amina')).send({ locale: '' }).expect(200);

    // Stored as what happened, with the English the dashboard reads.
    const [stored] = await withClient(
      t.databaseUrl,
      async (client) =>
        (
          await client.query<{ kind: string; params: Record<string, unknown>; title: string }>(
            `SELECT kind, params, title FROM notifications WHERE recipient_sub = 'renter-1'`,
          )
        ).rows,
    );
    expect(stored).toMatchObject({
      kind: 'booking.yours',
      params: { car: 'Dacia Duster', status: 'Confirmed' },
      title: 'Booking Confirmed',
    });
  });

  it('streams each reader the same notification in their own language', async () => {
    const french = await openSse(`${t.url}/notifications/sse?access_token=${tokens.clerk}`);
    const english = await openSse(`${t.url}/notifications/sse?access_token=${tokens.admin}`);
    try {
      await book('sara');
      const [fr] = await french.waitForEvents(1);
      const [en] = await english.waitForEvents(1);
      expect(fr.id).toBe(en.id);
      expect(JSON.parse(fr.data)).toMatchObject({
        title: 'Nouvelle réservation',
        message: expect.stringContaining(' de Sara'),
      });
      expect(JSON.parse(en.data)).toMatchObject({
        title: 'New Booking',
        message: expect.stringContaining(' from Sara'),
      });
    } finally {
      french.close();
      english.close();
    }
  });

  it('answers a reader whose language the platform does not speak in DEFAULT_LOCALE', async () => {
    await request(t.url).patch('/users/me').set(as('sara')).send({ locale: 'de' }).expect(200);
    const booking = await book('sara');
    await request(t.url)
      .put(`/bookings/${booking.id}`)
      .set(as('clerk'))
      .send({ status: 'Rejected', reason: 'maintenance' });
    const mine = await request(t.url).get('/notifications').set(as('sara')).expect(200);
    expect(mine.body[0]).toMatchObject({
      title: 'Booking Rejected',
      message: expect.stringMatching(/Rejected \(maintenance\)$/),
    });
  });
});
