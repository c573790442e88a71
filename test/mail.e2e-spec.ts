import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { BUILT_IN_AGENCY_ID } from '../src/access/standing-rule.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput, createCar, reviewInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { TestSmtpServer } from './support/smtp.js';
import { signToken, TOKEN_MODE } from './support/tokens.js';
import { sleep, waitFor } from './support/wait.js';

/** Quick enough for tests: the queue is looked at five times a second, a failed send retried after 0.2 s. */
const FAST_MAIL = { MAIL_POLL_SECONDS: '0.2', MAIL_BACKOFF_SECONDS: '0.2', MAIL_DIGEST_MINUTES: '0' };
const DAY = 24 * 60 * 60 * 1000;
const day = (n: number) => new Date(Date.now() + n * DAY).toISOString();

describe('E-mail', () => {
  let smtp: TestSmtpServer;
  const apps: TestApp[] = [];
  const start = async (settings: Record<string, string>, databaseUrl?: string) => {
    const app = await createTestApp({ ...FAST_MAIL, ...settings }, databaseUrl);
    apps.push(app);
    return app;
  };
  const queue = (databaseUrl: string) =>
    withClient(databaseUrl, async (client) => {
      const { rows } = await client.query<{ address: string; status: string; attempts: number }>(
        'SELECT address, status, attempts FROM mail_queue ORDER BY id',
      );
      return rows;
    });

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    smtp.received.length = 0;
    smtp.offered = 0;
    smtp.reject = null;
    await smtp.start(); // after a test that stopped it
  });
  afterAll(() => smtp.stop());

  /** Token mode: an agency (with a contact address), its car, and a renter who reads French. */
  async function platform(app: TestApp, renter: Record<string, string> = {}) {
    const admin = { Authorization: `Bearer ${await signToken({ sub: 'admin-1', role: 'admin' })}` };
    const agency = (
      await request(app.url)
        .post('/agencies')
        .set(admin)
        .send({ name: 'Atlas Car Rental', email: 'desk@atlas.example' })
        .expect(201)
    ).body.id as string;
    const clerk = { Authorization: `Bearer ${await signToken({ sub: 'clerk', role: 'agency', agency_id: agency })}` };
    const car = (
      await request(app.url)
        .post('/cars')
        .set(clerk)
        .send(carInput({ make: 'Dacia', model: 'Duster' }))
        .expect(201)
    ).body.id as string;
    const amina = {
      Authorization: `Bearer ${await signToken({
        sub: 'renter-1',
        role: 'renter',
        name: 'Amina',
        email: 'amina@example.com',
        ...renter,
      })}`,
    };
    return { admin, clerk, amina, car };
  }

  it('tells a renter their booking is confirmed, once, in their language, with two API processes', async () => {
    const one = await start({ ...TOKEN_MODE, SMTP_URL: smtp.url });
    const two = await start({ ...TOKEN_MODE, SMTP_URL: smtp.url }, one.databaseUrl);
    const { clerk, amina, car } = await platform(one);
    await request(one.url).patch('/users/me').set(amina).send({ locale: 'fr-MA' }).expect(200);
    const { carId, startDate, endDate } = bookingInput(car, day(3), day(5));
    const booking = await request(one.url).post('/bookings').set(amina).send({ carId, startDate, endDate }).expect(201);
    const [toAgency] = await smtp.waitFor('desk@atlas.example', 1);
    expect(toAgency.subject).toBe('New Booking');
    expect(toAgency.text).toContain('New booking request for Dacia Duster');

    await request(two.url).put(`/bookings/${booking.body.id}`).set(clerk).send({ status: 'Confirmed' }).expect(200);
    const [mail] = await smtp.waitFor('amina@example.com', 1);
    expect(mail.subject).toBe('Réservation confirmée');
    expect(mail.text).toMatch(/^Bonjour Amina,\n\nVotre réservation de Dacia Duster \(.+\) est maintenant confirmée\n/);
    expect(mail.html).toContain('<html lang="fr">');
    await sleep(1000); // both processes had time to send it again: neither did
    expect(smtp.to('amina@example.com')).toHaveLength(1);
    // The agency heard of the booking and of its confirmation, the renter of the confirmation.
    const rows = (await queue(one.databaseUrl)).map(({ address, status }) => `${address} ${status}`);
    expect(rows.sort()).toEqual(['amina@example.com sent', 'desk@atlas.example sent', 'desk@atlas.example sent']);
  });

  it('keeps what could not be sent while the SMTP server is away, and delivers it once it is back', async () => {
    const app = await start({ ...TOKEN_MODE, SMTP_URL: smtp.url });
    const { clerk, amina, car } = await platform(app);
    await smtp.stop();
    const { carId, startDate, endDate } = bookingInput(car, day(3), day(5));
    const booking = await request(app.url).post('/bookings').set(amina).send({ carId, startDate, endDate }).expect(201);
    await request(app.url).put(`/bookings/${booking.body.id}`).set(clerk).send({ status: 'Confirmed' }).expect(200);
    await waitFor(
      async () => ((await queue(app.databaseUrl)).every(({ attempts }) => attempts >= 2) ? true : undefined),
      10_000,
      'two failed attempts each',
    );
    expect(smtp.received).toHaveLength(0);
    await smtp.start();
    const [mail] = await smtp.waitFor('amina@example.com', 1);
    expect(mail.subject).toBe('Booking Confirmed'); // no language of her own: DEFAULT_LOCALE
    // The agency's two, queued meanwhile, as one e-mail.
    const [digest] = await smtp.waitFor('desk@atlas.example', 1);
    expect(digest.subject).toBe('2 new notifications: bookings');
    expect(digest.text).toContain('- New Booking: New booking request for Dacia Duster');
    expect(digest.text).toContain('- Booking Updated: Booking for Dacia Duster from Amina is now Confirmed');
    expect((await queue(app.databaseUrl)).map(({ status }) => status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('marks failed what could not be sent within MAIL_RETRY_HOURS', async () => {
    const app = await start({ ...TOKEN_MODE, SMTP_URL: smtp.url, MAIL_RETRY_HOURS: '0.0003' }); // about 1 s
    const { amina, car } = await platform(app);
    await smtp.stop();
    const { carId, startDate, endDate } = bookingInput(car, day(3), day(5));
    await request(app.url).post('/bookings').set(amina).send({ carId, startDate, endDate }).expect(201);
    const [row] = await waitFor(
      async () => {
        const rows = await queue(app.databaseUrl);
        return rows.length === 1 && rows[0].status === 'failed' ? rows : undefined;
      },
      10_000,
      'the e-mail to be given up',
    );
    expect(row.attempts).toBeGreaterThan(1);
    await smtp.start();
    await sleep(600);
    expect(smtp.received).toHaveLength(0);
  });

  it('gives up on a hard bounce (550) at once, marks it failed and counts it', async () => {
    const app = await start({ ...TOKEN_MODE, SMTP_URL: smtp.url });
    const { admin, clerk, amina, car } = await platform(app);
    smtp.reject = 550;
    const { carId, startDate, endDate } = bookingInput(car, day(3), day(5));
    const booking = await request(app.url).post('/bookings').set(amina).send({ carId, startDate, endDate }).expect(201);
    await request(app.url).put(`/bookings/${booking.body.id}`).set(clerk).send({ status: 'Confirmed' }).expect(200);
    const failed = await waitFor(
      async () => {
        const rows = await queue(app.databaseUrl);
        return rows.length === 3 && rows.every(({ status }) => status === 'failed') ? rows : undefined;
      },
      10_000,
      'every e-mail failed',
    );
    expect(failed.map(({ attempts }) => attempts)).toEqual([1, 1, 1]);
    const offered = smtp.offered; // one e-mail each, or the agency's two as one
    await sleep(600); // three retry periods: nothing is offered again
    expect(smtp.offered).toBe(offered);
    const metrics = await request(app.url).get('/metrics').set(admin).expect(200);
    expect(metrics.text).toMatch(new RegExp(`^mail_failed_total ${offered}$`, 'm'));
    expect(metrics.text).toMatch(/^mail_sent_total 0$/m);
  });

  it('sends only what a renter chose, and always what is about their account', async () => {
    const app = await start({ ...TOKEN_MODE, SMTP_URL: smtp.url });
    const { admin, clerk, amina, car } = await platform(app);
    const me = await request(app.url)
      .patch('/users/me')
      .set(amina)
      .send({ emailNotifications: { booking: false } })
      .expect(200);
    expect(me.body.emailNotifications).toEqual({
      booking: false,
      review: true,
      message: true,
      complaint: true,
      account: true,
    });
    const refused = await request(app.url)
      .patch('/users/me')
      .set(amina)
      .send({ emailNotifications: { account: false } })
      .expect(400);
    expect(refused.body.message).toMatch(/^emailNotifications\.account cannot be turned off/);

    const { carId, startDate, endDate } = bookingInput(car, day(3), day(5));
    const booking = await request(app.url).post('/bookings').set(amina).send({ carId, startDate, endDate }).expect(201);
    await request(app.url).put(`/bookings/${booking.body.id}`).set(clerk).send({ status: 'Confirmed' }).expect(200);
    // Her driving licence reviewed by the admin team: an account message, sent whatever she chose.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
      'base64',
    );
    const document = await request(app.url)
      .post('/users/me/documents')
      .set(amina)
      .field('type', 'driving_licence')
      .attach('file', png, { filename: 'licence.png', contentType: 'image/png' })
      .expect(201);
    await request(app.url)
      .patch(`/documents/${document.body.id}`)
      .set(admin)
      .send({ status: 'rejected', reason: 'unreadable' })
      .expect(200);
    const [mail] = await smtp.waitFor('amina@example.com', 1);
    expect(mail.subject).toBe('Document Reviewed');
    await smtp.waitFor('desk@atlas.example', 1); // the agency still hears of the booking
    await sleep(600);
    expect(smtp.to('amina@example.com').map(({ subject }) => subject)).toEqual(['Document Reviewed']);

    // The agency turns its review e-mails off on its profile.
    const profile = await request(app.url)
      .patch(`/agencies/${(await request(app.url).get('/users/me').set(clerk)).body.agencyId as string}`)
      .set(clerk)
      .send({ locale: 'fr', emailNotifications: { review: false } });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ locale: 'fr', emailNotifications: { review: false, booking: true } });
  });

  it('sends several reviews within MAIL_DIGEST_MINUTES as one e-mail, escaping what users wrote', async () => {
    const app = await start({ SMTP_URL: smtp.url, MAIL_DIGEST_MINUTES: '0.03' }); // open mode; 1.8 s
    await request(app.url).patch(`/agencies/${BUILT_IN_AGENCY_ID}`).send({ email: 'fleet@local.example' }).expect(200);
    const car = await createCar(app.url, { make: 'Renault', model: 'Clio' });
    await request(app.url)
      .post('/reviews')
      .send(reviewInput(car.id, { rating: 5 }))
      .expect(201);
    const [first] = await smtp.waitFor('fleet@local.example', 1);
    expect(first.subject).toBe('New Review');
    await request(app.url)
      .post('/reviews')
      .send(reviewInput(car.id, { rating: 2, renterName: '<script>alert(1)</script>' }))
      .expect(201);
    await request(app.url)
      .post('/reviews')
      .send(reviewInput(car.id, { rating: 4, renterName: 'Sara & Co' }))
      .expect(201);
    // Queued to wait for the window the first e-mail opened, not to be looked at meanwhile.
    const waiting = await waitFor(
      () =>
        withClient(app.databaseUrl, async (client) => {
          const { rows } = await client.query<{ waits: boolean }>(
            `SELECT next_attempt_at > created_at + interval '1 second' AS waits FROM mail_queue ORDER BY id`,
          );
          return rows.length === 3 ? rows.map(({ waits }) => waits) : undefined;
        }),
      5000,
      'the two new e-mails queued',
    );
    expect(waiting).toEqual([false, true, true]);
    const [, digest] = await smtp.waitFor('fleet@local.example', 2);
    expect(digest.subject).toBe('2 new notifications: reviews');
    expect(digest.text).toContain('- New Review: New 2-star review for Renault Clio from <script>alert(1)</script>');
    expect(digest.text).toContain('- New Review: New 4-star review for Renault Clio from Sara & Co');
    expect(digest.html).toContain('from &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(digest.html).toContain('Sara &#38; Co');
    expect(digest.html).not.toContain('<script>');
    await sleep(500);
    expect(smtp.to('fleet@local.example')).toHaveLength(2);
  });

  it('writes .eml files when there is no SMTP_URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'car-rental-mail-'));
    try {
      const app = await start({ MAIL_DIR: dir });
      await request(app.url)
        .patch(`/agencies/${BUILT_IN_AGENCY_ID}`)
        .send({ email: 'fleet@local.example' })
        .expect(200);
      const car = await createCar(app.url);
      await request(app.url)
        .post('/bookings')
        .send(bookingInput(car.id, day(3), day(5)))
        .expect(201);
      const [file] = await waitFor(
        async () => {
          const files = (await readdir(dir)).filter((name) => name.endsWith('.eml'));
          return files.length > 0 ? files : undefined;
        },
        10_000,
        'an .eml file',
      );
      const eml = await readFile(join(dir, file), 'utf8');
      expect(eml).toMatch(/^To: fleet@local\.example$/m);
      expect(eml).toMatch(/^Subject: New Booking$/m);
      expect(eml).toContain('Content-Type: text/html');
      expect((await queue(app.databaseUrl)).map(({ status }) => status)).toEqual(['sent']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
