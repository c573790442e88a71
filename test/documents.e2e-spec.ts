import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { carInput } from './support/builders.js';
import { day } from './support/dates.js';
import { signToken, TEST_SECRET } from './support/tokens.js';

/** A real one-page PDF. */
async function pdf(text: string): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 18, font: await document.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await document.save());
}

const scan = () =>
  sharp({ create: { width: 800, height: 500, channels: 3, background: '#dddddd' } })
    .png()
    .toBuffer();

describe('Token mode: documents and verification', () => {
  let t: TestApp;
  let pending: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const api = () => request(t.url);
  const send = (who: string, path: string, type: string, bytes: Buffer, name = 'paper.pdf') =>
    api().post(path).set(as(who)).field('type', type).attach('file', bytes, name);
  const review = (id: string, body: object) => api().patch(`/documents/${id}`).set(as('admin')).send(body);

  beforeAll(async () => {
    t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET });
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin' });
    pending = (
      await api().post('/agencies').set(as('admin')).send({ name: 'Casa Cars', status: 'pending' }).expect(201)
    ).body.id;
    const other = (await api().post('/agencies').set(as('admin')).send({ name: 'Bahia' }).expect(201)).body.id;
    tokens.P = await signToken({ sub: 'clerk-p', role: 'agency', agency_id: pending });
    tokens.B = await signToken({ sub: 'clerk-b', role: 'agency', agency_id: other });
    tokens.r1 = await signToken({ sub: 'renter-1', role: 'renter' });
    tokens.r2 = await signToken({ sub: 'renter-2', role: 'renter' });
  });
  afterAll(() => t.close());

  it('approves an agency only once its required papers are, each reviewed by the admin team and told to the agency', async () => {
    const licence = await send('P', `/agencies/${pending}/documents`, 'business_licence', await pdf('RC 12345')).expect(
      201,
    );
    expect(licence.body).toMatchObject({
      type: 'business_licence',
      status: 'pending',
      reason: '',
      contentType: 'application/pdf',
      agencyId: pending,
      url: expect.stringMatching(/^\/files\/[0-9a-f-]{36}$/),
    });
    const mine = await api().get(`/agencies/${pending}`).set(as('P')).expect(200);
    expect(mine.body.requiredDocuments).toEqual([
      { type: 'business_licence', status: 'pending' },
      { type: 'insurance', status: 'missing' },
    ]);
    const early = await api()
      .patch(`/agencies/${pending}/status`)
      .set(as('admin'))
      .send({ status: 'active' })
      .expect(409);
    expect(early.body.message).toBe(
      'The agency cannot be approved before its business_licence and insurance are approved',
    );

    await review(licence.body.id, { status: 'approved' }).expect(200);
    const insurance = await send('P', `/agencies/${pending}/documents`, 'insurance', await scan(), 'scan.png').expect(
      201,
    );
    await review(insurance.body.id, { status: 'rejected' }).expect(400);
    const rejected = await review(insurance.body.id, { status: 'rejected', reason: 'Expired in 2025' }).expect(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      reason: 'Expired in 2025',
      reviewedAt: expect.any(String),
    });
    const told = await api().get('/notifications?category=account').set(as('P')).expect(200);
    expect(told.body[0]).toMatchObject({
      title: 'Document Reviewed',
      message: 'Your insurance was rejected (Expired in 2025)',
    });
    expect((await api().get(`/agencies/${pending}`).set(as('P')).expect(200)).body.requiredDocuments).toEqual([
      { type: 'business_licence', status: 'approved' },
      { type: 'insurance', status: 'rejected' },
    ]);
    const still = await api()
      .patch(`/agencies/${pending}/status`)
      .set(as('admin'))
      .send({ status: 'active' })
      .expect(409);
    expect(still.body.message).toContain('its insurance are approved');

    const again = await send('P', `/agencies/${pending}/documents`, 'insurance', await pdf('Policy 9')).expect(201);
    await review(again.body.id, { status: 'approved' }).expect(200);
    await api().patch(`/agencies/${pending}/status`).set(as('admin')).send({ status: 'active' }).expect(200);
    const listed = await api().get(`/agencies/${pending}/documents`).set(as('P')).expect(200);
    expect(listed.body.map((d: { type: string; status: string }) => [d.type, d.status])).toEqual([
      ['insurance', 'approved'],
      ['insurance', 'rejected'],
      ['business_licence', 'approved'],
    ]);
    const trail = await api().get(`/audit?entity=document&entityId=${insurance.body.id}`).set(as('admin')).expect(200);
    expect(trail.body[0]).toMatchObject({
      action: 'document.review',
      after: { status: 'rejected', reason: 'Expired in 2025' },
    });
  });

  it('keeps papers private to their owner and the admin team', async () => {
    const [paper] = (await api().get(`/agencies/${pending}/documents`).set(as('P')).expect(200)).body;
    const own = await api().get(paper.url).set(as('P')).buffer(true).expect(200);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(own.headers['cache-control']).toBe('private, no-store');
    expect((own.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    await api().get(paper.url).set(as('admin')).expect(200);
    await api().get(paper.url).set(as('B')).expect(404);
    await api().get(paper.url).set(as('r1')).expect(404);
    await api().get(paper.url).expect(404);
    await api().get(`${paper.url}?w=320`).set(as('P')).expect(400);
    await api().get(`/agencies/${pending}/documents`).set(as('B')).expect(404);
    await api().get(`/agencies/${pending}/documents`).set(as('r1')).expect(403);
    await send('B', `/agencies/${pending}/documents`, 'insurance', await pdf('x')).expect(404);
  });

  it('verifies a renter from an approved driving licence; refuses other types and other content', async () => {
    const sent = await send('r1', '/users/me/documents', 'driving_licence', await scan(), 'licence.png').expect(201);
    expect(sent.body).toMatchObject({
      type: 'driving_licence',
      status: 'pending',
      ownerSub: 'renter-1',
      agencyId: null,
    });
    expect((await api().get('/users/me').set(as('r1')).expect(200)).body.verified).toBe(false);
    expect((await api().get('/users/me/documents').set(as('r2')).expect(200)).body).toEqual([]);
    await api().get(sent.body.url).set(as('r2')).expect(404);
    await api().get(sent.body.url).set(as('r1')).expect(200);
    await review(sent.body.id, { status: 'approved' }).expect(200);
    expect((await api().get('/users/me').set(as('r1')).expect(200)).body.verified).toBe(true);
    expect((await api().get('/users/renter-1').set(as('admin')).expect(200)).body.verified).toBe(true);
    expect((await api().get('/users/renter-1/documents').set(as('admin')).expect(200)).body).toHaveLength(1);
    await api().get('/users/renter-1/documents').set(as('r1')).expect(403);
    const told = await api().get('/notifications?category=account').set(as('r1')).expect(200);
    expect(told.body[0].message).toBe('Your driving licence was approved');

    const passport = await send('r1', '/users/me/documents', 'passport', await pdf('x')).expect(400);
    expect(passport.body.message).toBe('type must be one of driving_licence, id_card');
    await send('P', `/agencies/${pending}/documents`, 'driving_licence', await pdf('x')).expect(400);
    await send('r1', '/users/me/documents', 'id_card', Buffer.from('<html>hi</html>'), 'id.pdf').expect(415);
    await api()
      .post('/users/me/documents')
      .set(as('r1'))
      .attach('file', await pdf('x'), 'id.pdf')
      .expect(400);
    await send('P', '/users/me/documents', 'id_card', await pdf('x')).expect(403);
    await review('00000000-0000-4000-8000-000000000000', { status: 'approved' }).expect(404);
    await api().patch(`/documents/${sent.body.id}`).set(as('P')).send({ status: 'approved' }).expect(403);
  });
});

describe('Token mode: REQUIRE_VERIFIED_RENTERS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET, REQUIRE_VERIFIED_RENTERS: 'true' });
  });
  afterAll(() => t.close());

  it("refuses an unverified renter's booking, saying what to send, and takes it once the licence is approved", async () => {
    const admin = { Authorization: `Bearer ${await signToken({ sub: 'admin-1', role: 'admin' })}` };
    const renter = { Authorization: `Bearer ${await signToken({ sub: 'renter-9', role: 'renter' })}` };
    const agency = (await request(t.url).post('/agencies').set(admin).send({ name: 'Atlas' }).expect(201)).body.id;
    const car = (
      await request(t.url)
        .post('/cars')
        .set(admin)
        .send(carInput({ agencyId: agency }))
        .expect(201)
    ).body.id;
    const booking = { carId: car, startDate: day(2), endDate: day(3) };
    const refused = await request(t.url).post('/bookings').set(renter).send(booking).expect(409);
    expect(refused.body.message).toContain('send your driving licence (POST /users/me/documents)');
    const sent = await request(t.url)
      .post('/users/me/documents')
      .set(renter)
      .field('type', 'driving_licence')
      .attach('file', await pdf('Licence B'), 'licence.pdf')
      .expect(201);
    await request(t.url).post('/bookings').set(renter).send(booking).expect(409);
    await request(t.url).patch(`/documents/${sent.body.id}`).set(admin).send({ status: 'approved' }).expect(200);
    await request(t.url).post('/bookings').set(renter).send(booking).expect(201);
  });
});
