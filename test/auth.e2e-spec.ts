import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { bookingInput, carInput, reviewInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { day, started } from './support/dates.js';
import { openSse } from './support/sse.js';
import { signToken, TEST_SECRET } from './support/tokens.js';
import { openWs } from './support/ws.js';
import { waitFor } from './support/wait.js';

type Who = 'none' | 'renter' | 'otherRenter' | 'agencyA' | 'agencyB' | 'admin';

describe('Token mode: who may do what', () => {
  let t: TestApp;
  const tokens = {} as Record<Who, string | undefined>;
  let agencyA: string;
  let agencyB: string;
  let carA: string;
  let carB: string;
  let bookingA: string; // the renter's, on agency A's car
  let bookingB: string; // a walk-in on agency B's car
  let spareA: string; // cars to delete
  let spareB: string;
  let reviewB: string;
  let notificationB: string;

  const as = (who: Who) => (who === 'none' || !tokens[who] ? {} : { Authorization: `Bearer ${tokens[who]}` });
  const call = (who: Who, method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, body?: object) => {
    const req = request(t.url)[method](path).set(as(who));
    return body ? req.send(body) : req;
  };

  beforeAll(async () => {
    t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET });
    tokens.admin = await signToken({ sub: 'admin-1', role: 'admin' });
    agencyA = (await call('admin', 'post', '/agencies', { name: 'Atlas Cars' }).expect(201)).body.id;
    agencyB = (await call('admin', 'post', '/agencies', { name: 'Bahia Rent' }).expect(201)).body.id;
    tokens.agencyA = await signToken({ sub: 'clerk-a', role: 'agency', agency_id: agencyA });
    tokens.agencyB = await signToken({ sub: 'clerk-b', role: 'agency', agency_id: agencyB });
    tokens.renter = await signToken({ sub: 'renter-1', role: 'renter', name: 'Amina', email: 'amina@example.com' });
    tokens.otherRenter = await signToken({ sub: 'renter-2', role: 'renter', name: 'Youssef' });
    carA = (await call('agencyA', 'post', '/cars', carInput()).expect(201)).body.id;
    carB = (await call('admin', 'post', '/cars', carInput({ agencyId: agencyB })).expect(201)).body.id;
    bookingA = (await call('renter', 'post', '/bookings', bookingInput(carA, day(10), day(12))).expect(201)).body.id;
    bookingB = (await call('agencyB', 'post', '/bookings', bookingInput(carB, day(10), day(12))).expect(201)).body.id;
    spareA = (await call('agencyA', 'post', '/cars', carInput()).expect(201)).body.id;
    spareB = (await call('agencyB', 'post', '/cars', carInput()).expect(201)).body.id;
    reviewB = (await call('admin', 'post', '/reviews', reviewInput(carB)).expect(201)).body.id;
    notificationB = ((await call('agencyB', 'get', '/notifications').expect(200)).body as { id: string }[])[0].id;
  });
  afterAll(() => t.close());

  // [what, who, method, path, body, status]: every cell of the matrix, with two agencies.
  const cases: [
    string,
    Who,
    'get' | 'post' | 'patch' | 'put' | 'delete',
    () => string,
    (() => object) | null,
    number,
  ][] = [
    ['catalogue', 'none', 'get', () => '/cars', null, 200],
    ['catalogue', 'renter', 'get', () => '/cars', null, 200],
    ['catalogue', 'agencyA', 'get', () => '/cars', null, 200],
    ['a car', 'none', 'get', () => `/cars/${carB}`, null, 200],
    ["another agency's car", 'agencyA', 'get', () => `/cars/${carB}`, null, 404],
    ['its own car', 'agencyA', 'get', () => `/cars/${carA}`, null, 200],
    ['create a car', 'none', 'post', () => '/cars', () => carInput(), 401],
    ['create a car', 'renter', 'post', () => '/cars', () => carInput(), 403],
    ['create a car', 'agencyA', 'post', () => '/cars', () => carInput(), 201],
    ['create a car without agencyId', 'admin', 'post', () => '/cars', () => carInput(), 400],
    ['create a car for an agency', 'admin', 'post', () => '/cars', () => carInput({ agencyId: agencyA }), 201],
    ['change a car', 'none', 'patch', () => `/cars/${carA}`, () => ({ pricePerDay: 41 }), 401],
    ['change a car', 'renter', 'patch', () => `/cars/${carA}`, () => ({ pricePerDay: 41 }), 403],
    ["change another agency's car", 'agencyB', 'patch', () => `/cars/${carA}`, () => ({ pricePerDay: 41 }), 404],
    ['change its own car', 'agencyA', 'patch', () => `/cars/${carA}`, () => ({ pricePerDay: 41 }), 200],
    ['change any car', 'admin', 'patch', () => `/cars/${carB}`, () => ({ pricePerDay: 43 }), 200],
    ['delete a car', 'none', 'delete', () => `/cars/${carA}`, null, 401],
    ['delete a car', 'renter', 'delete', () => `/cars/${carA}`, null, 403],
    ["delete another agency's car", 'agencyB', 'delete', () => `/cars/${carA}`, null, 404],
    ['delete its own car', 'agencyA', 'delete', () => `/cars/${spareA}`, null, 200],
    ['delete any car', 'admin', 'delete', () => `/cars/${spareB}`, null, 200],
    ['bookings', 'none', 'get', () => '/bookings', null, 401],
    ['bookings', 'agencyA', 'get', () => '/bookings', null, 200],
    ['bookings', 'admin', 'get', () => '/bookings', null, 200],
    ['bookings', 'renter', 'get', () => '/bookings', null, 200],
    ['its own booking', 'renter', 'get', () => `/bookings/${bookingA}`, null, 200],
    ["another renter's booking", 'otherRenter', 'get', () => `/bookings/${bookingA}`, null, 404],
    ["another agency's booking", 'agencyA', 'get', () => `/bookings/${bookingB}`, null, 404],
    ["its cars' booking", 'agencyB', 'get', () => `/bookings/${bookingB}`, null, 200],
    ['any booking', 'admin', 'get', () => `/bookings/${bookingA}`, null, 200],
    ['history of its own booking', 'renter', 'get', () => `/bookings/${bookingA}/history`, null, 200],
    ["history of another agency's booking", 'agencyA', 'get', () => `/bookings/${bookingB}/history`, null, 404],
    ['book', 'none', 'post', () => '/bookings', () => bookingInput(carA, day(20), day(21)), 401],
    ['book any car', 'otherRenter', 'post', () => '/bookings', () => bookingInput(carB, day(20), day(21)), 201],
    [
      "book another agency's car",
      'agencyA',
      'post',
      () => '/bookings',
      () => bookingInput(carB, day(30), day(31)),
      404,
    ],
    ['book its own car', 'agencyA', 'post', () => '/bookings', () => bookingInput(carA, day(30), day(31)), 201],
    ['confirm', 'none', 'patch', () => `/bookings/${bookingA}`, () => ({ status: 'Confirmed' }), 401],
    ['confirm its own', 'renter', 'patch', () => `/bookings/${bookingA}`, () => ({ status: 'Confirmed' }), 403],
    ['mark its own paid', 'renter', 'put', () => `/bookings/${bookingA}`, () => ({ isPaid: true }), 403],
    ["confirm another agency's", 'agencyB', 'put', () => `/bookings/${bookingA}`, () => ({ status: 'Confirmed' }), 404],
    ['mark any booking paid', 'admin', 'patch', () => `/bookings/${bookingB}`, () => ({ isPaid: true }), 200],
    ["confirm its cars'", 'agencyA', 'put', () => `/bookings/${bookingA}`, () => ({ status: 'Confirmed' }), 200],
    [
      "cancel another renter's",
      'otherRenter',
      'patch',
      () => `/bookings/${bookingA}`,
      () => ({ status: 'Cancelled' }),
      404,
    ],
    ['reviews', 'none', 'get', () => '/reviews', null, 200],
    ['reviews', 'renter', 'get', () => '/reviews', null, 200],
    ['reviews', 'agencyA', 'get', () => '/reviews', null, 200],
    ["another agency's review", 'agencyA', 'get', () => `/reviews/${reviewB}`, null, 404],
    ['a review', 'none', 'get', () => `/reviews/${reviewB}`, null, 200],
    ["its cars' review", 'agencyB', 'get', () => `/reviews/${reviewB}`, null, 200],
    ['review without a Completed booking', 'renter', 'post', () => '/reviews', () => reviewInput(carA), 403],
    ['review', 'none', 'post', () => '/reviews', () => reviewInput(carA), 401],
    ['review', 'agencyA', 'post', () => '/reviews', () => reviewInput(carA), 403],
    ['review', 'admin', 'post', () => '/reviews', () => reviewInput(carB), 201],
    ['notifications', 'none', 'get', () => '/notifications', null, 401],
    ['notifications (their own)', 'renter', 'get', () => '/notifications', null, 200],
    ['notifications', 'agencyA', 'get', () => '/notifications', null, 200],
    ['notifications', 'admin', 'get', () => '/notifications', null, 200],
    ['mark all read (their own)', 'renter', 'post', () => '/notifications/read-all', null, 200],
    ['mark all read', 'agencyA', 'post', () => '/notifications/read-all', null, 200],
    ["mark another agency's read", 'agencyA', 'post', () => `/notifications/${notificationB}/read`, null, 404],
    ['mark its own read', 'agencyB', 'post', () => `/notifications/${notificationB}/read`, null, 200],
    ["mark an agency's read", 'renter', 'post', () => `/notifications/${notificationB}/read`, null, 404],
    ['one conversation', 'admin', 'get', () => `/chat/messages?agencyId=${agencyB}`, null, 200],
    ['chat history', 'none', 'get', () => '/chat/messages', null, 401],
    ['chat history', 'renter', 'get', () => '/chat/messages', null, 403],
    ['chat history', 'agencyA', 'get', () => '/chat/messages', null, 200],
    ['agencies (the public list)', 'agencyA', 'get', () => '/agencies', null, 200],
    ['agencies', 'admin', 'get', () => '/agencies', null, 200],
    ['its own agency', 'agencyA', 'get', () => `/agencies/${agencyA}`, null, 200],
    ['another agency (public profile)', 'agencyA', 'get', () => `/agencies/${agencyB}`, null, 200],
    ["edit another agency's profile", 'agencyA', 'patch', () => `/agencies/${agencyB}`, () => ({ city: 'Fes' }), 403],
    ['an agency (public profile)', 'renter', 'get', () => `/agencies/${agencyA}`, null, 200],
    ['an agency (public profile)', 'none', 'get', () => `/agencies/${agencyA}`, null, 200],
    [
      'suspend an agency',
      'agencyA',
      'patch',
      () => `/agencies/${agencyB}/status`,
      () => ({ status: 'suspended', reason: 'x' }),
      403,
    ],
    ['register an agency', 'agencyA', 'post', () => '/agencies', () => ({ name: 'Mine' }), 403],
    ['health', 'none', 'get', () => '/health', null, 200],
  ];

  it.each(cases)('%s as %s: %s → %i', async (_what, who, method, path, body, status) => {
    const response = await call(who, method, path(), body?.() ?? undefined);
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
    if (status === 401) {
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });

  it('lists only what each may see: agency A never sees agency B', async () => {
    const ids = async (who: Who, path: string) =>
      ((await call(who, 'get', path).expect(200)).body as { id: string }[]).map((item) => item.id);
    expect(await ids('agencyA', '/cars')).not.toContain(carB);
    expect(await ids('agencyA', '/cars')).toContain(carA);
    expect(await ids('none', '/cars')).toEqual(expect.arrayContaining([carA, carB]));
    expect(await ids('none', `/cars?agencyId=${agencyB}`)).toEqual(expect.arrayContaining([carB]));
    expect(await ids('none', `/cars?agencyId=${agencyB}`)).not.toContain(carA);
    expect(await ids('agencyA', '/bookings')).not.toContain(bookingB);
    expect(await ids('agencyB', '/bookings')).toContain(bookingB);
    expect(await ids('renter', '/bookings')).toEqual([bookingA]);
    const reviewCars = async (who: Who) =>
      ((await call(who, 'get', '/reviews').expect(200)).body as { carId: string }[]).map((review) => review.carId);
    expect(await reviewCars('agencyA')).not.toContain(carB);
    const notifications = (await call('agencyA', 'get', '/notifications').expect(200)).body as { data: unknown }[];
    expect(JSON.stringify(notifications)).not.toContain(carB);
    expect(JSON.stringify((await call('admin', 'get', '/notifications').expect(200)).body)).toContain(carB);
  });

  it('takes the renter from the token, and records who changed a booking', async () => {
    const booking = await call('renter', 'post', '/bookings', {
      ...bookingInput(carB, day(40), day(41)),
      renter: { id: 'someone-else', name: 'Not Me', email: 'not@example.com' },
    }).expect(201);
    expect(booking.body.renter).toMatchObject({ id: 'renter-1', name: 'Amina', email: 'amina@example.com' });
    await call('renter', 'patch', `/bookings/${booking.body.id}`, { status: 'Cancelled' }).expect(200);
    const history = await call('agencyB', 'get', `/bookings/${booking.body.id}/history`).expect(200);
    expect(history.body).toMatchObject([
      { actorSub: 'renter-1', actorRole: 'renter', statusFrom: null, statusTo: 'Pending' },
      { actorSub: 'renter-1', actorRole: 'renter', statusFrom: 'Pending', statusTo: 'Cancelled' },
    ]);
  });

  it('lets a renter review a Completed booking of its own once (verified reviews)', async () => {
    const { start, end } = started();
    const booking = await call('renter', 'post', '/bookings', bookingInput(carA, start, end)).expect(201);
    await call('agencyA', 'put', `/bookings/${booking.body.id}`, { status: 'Confirmed' }).expect(200);
    await call('agencyA', 'put', `/bookings/${booking.body.id}`, { status: 'Completed' }).expect(200);
    await call('otherRenter', 'post', '/reviews', reviewInput(carA)).expect(403);
    const review = await call('renter', 'post', '/reviews', reviewInput(carA, { renterId: 'forged' })).expect(201);
    expect(review.body).toMatchObject({ renterId: 'renter-1', renterName: 'Amina', bookingId: booking.body.id });
    await call('renter', 'post', '/reviews', reviewInput(carA)).expect(409);
  });

  it("never replays one user's Idempotency-Key answer to another", async () => {
    const body = carInput();
    const first = await call('agencyA', 'post', '/cars', body).set('Idempotency-Key', 'shared-key-1').expect(201);
    const second = await call('agencyB', 'post', '/cars', body).set('Idempotency-Key', 'shared-key-1').expect(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect([first.body.agencyId, second.body.agencyId]).toEqual([agencyA, agencyB]);
    const again = await call('agencyA', 'post', '/cars', body).set('Idempotency-Key', 'shared-key-1').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it('refuses every kind of bad token with 401 and the RFC 6750 error', async () => {
    const header = (token: string) => ({ Authorization: `Bearer ${token}` });
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'x', role: 'admin', exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url');
    const bad: [string, string, RegExp][] = [
      [
        'expired',
        await signToken({ sub: 'x', role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
        /expired/,
      ],
      ['not yet valid', await signToken({ sub: 'x', role: 'admin' }, { notBefore: '1h' }), /not valid yet/],
      [
        'bad signature',
        await signToken({ sub: 'x', role: 'admin' }, { secret: 'another-secret-of-32-characters-or-more' }),
        /signature/,
      ],
      ['alg none', `${none}.${payload}.`, /algorithm|malformed/],
      ['no role', await signToken({ sub: 'x' }), /role/],
      ['unknown role', await signToken({ sub: 'x', role: 'root' }), /role/],
      [
        'unknown agency',
        await signToken({ sub: 'x', role: 'agency', agency_id: '00000000-0000-4000-8000-0000000000ff' }),
        /agency/,
      ],
      ['agency without agency_id', await signToken({ sub: 'x', role: 'agency' }), /agency/],
      ['not a JWT', 'garbage', /malformed/],
    ];
    for (const [what, token, message] of bad) {
      const response = await request(t.url).get('/bookings').set(header(token));
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
      expect(response.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
      expect(response.body.message).toMatch(message);
      // A bad token is refused on public routes too, rather than silently ignored.
      expect((await request(t.url).get('/cars').set(header(token))).status).toBe(401);
    }
  });

  it("streams an agency's notifications only to it and the admin, with ?access_token=", async () => {
    await request(t.url).get('/notifications/sse').expect(401);
    const streamA = await openSse(`${t.url}/notifications/sse?access_token=${tokens.agencyA}`);
    const streamB = await openSse(`${t.url}/notifications/sse?access_token=${tokens.agencyB}`);
    const admin = await openSse(`${t.url}/notifications/sse`, { Authorization: `Bearer ${tokens.admin}` });
    expect(streamA.response.statusCode).toBe(200);
    await call('agencyA', 'post', '/bookings', bookingInput(carA, day(60), day(61))).expect(201);
    await call('agencyB', 'post', '/bookings', bookingInput(carB, day(60), day(61))).expect(201);
    await admin.waitForEvents(2);
    const [eventA] = await streamA.waitForEvents(1);
    const [eventB] = await streamB.waitForEvents(1);
    expect(eventA.data).toContain(carA);
    expect(JSON.parse(eventA.data)).toMatchObject({ agencyId: agencyA });
    expect(eventB.data).toContain(carB);
    expect(JSON.parse(eventB.data)).toMatchObject({ agencyId: agencyB });
    // Replay follows identity too: from 0, agency A gets its own notifications only.
    const replay = await openSse(`${t.url}/notifications/sse?access_token=${tokens.agencyA}`, { 'Last-Event-ID': '0' });
    const all = (await call('agencyA', 'get', '/notifications').expect(200)).body as unknown[];
    const replayed = await replay.waitForEvents(all.length);
    expect(replayed.every((event) => !event.data.includes(carB))).toBe(true);
    for (const client of [streamA, streamB, admin, replay]) client.close();
  });

  it('ends a stream when its token expires', async () => {
    const token = await signToken(
      { sub: 'clerk-a', role: 'agency', agency_id: agencyA },
      { expiresIn: Math.floor(Date.now() / 1000) + 2 },
    );
    const stream = await openSse(`${t.url}/notifications/sse?access_token=${token}`);
    await waitFor(() => (stream.response.complete ? true : undefined), 6000, 'the stream to end');
  });

  it('keeps each agency in its own conversation with the admin team', async () => {
    await expect(openWs(t.url)).rejects.toThrow(/401/);
    await expect(openWs(t.url, `/ws/chat?access_token=${tokens.renter}`)).rejects.toThrow(/403/);
    const a = await openWs(t.url, `/ws/chat?access_token=${tokens.agencyA}`);
    const b = await openWs(t.url, `/ws/chat?access_token=${tokens.agencyB}`);
    const admin = await openWs(t.url, '/ws/chat', { headers: { Authorization: `Bearer ${tokens.admin}` } });
    a.send({ id: '1764000000000', sender: 'admin', content: 'Hello from A' }); // the sender comes from the token
    const [fromA] = (await admin.waitForFrames(1)) as { sender: string; agencyId: string; clientId: string }[];
    expect(fromA).toMatchObject({ sender: 'agency', agencyId: agencyA, clientId: '1764000000000' });
    admin.send({ id: '1764000000000', content: 'no conversation named' }); // dropped
    admin.send({ id: '1764000000001', content: 'nobody', agencyId: '00000000-0000-4000-8000-0000000000ff' }); // dropped
    admin.send({ id: '1764000000000', content: 'Hello A', agencyId: agencyA }); // same client id, another sender
    const [toA] = (await a.waitForFrames(1)) as { sender: string; content: string }[];
    expect(toA).toMatchObject({ sender: 'admin', content: 'Hello A' });
    const history = (await call('agencyA', 'get', '/chat/messages').expect(200)).body as { content: string }[];
    expect(history.map((m) => m.content)).toEqual(['Hello from A', 'Hello A']);
    expect((await call('agencyB', 'get', '/chat/messages').expect(200)).body).toEqual([]);
    expect(b.frames).toEqual([]);
    for (const client of [a, b, admin]) await client.close();
  });

  it('closes a socket with 1008 when its token expires, and refuses other origins only with a list', async () => {
    const token = await signToken(
      { sub: 'clerk-a', role: 'agency', agency_id: agencyA },
      { expiresIn: Math.floor(Date.now() / 1000) + 2 },
    );
    const socket = await openWs(t.url, `/ws/chat?access_token=${token}`);
    await waitFor(() => socket.closeCode ?? undefined, 6000, 'the socket to close');
    expect(socket.closeCode).toBe(1008);
  });
});

describe('Token mode: issuer and audience', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      AUTH_JWT_SECRET: TEST_SECRET,
      AUTH_ISSUER: 'https://id.example',
      AUTH_AUDIENCE: 'car-rental',
    });
  });
  afterAll(() => t.close());

  it('checks iss and aud when configured', async () => {
    const get = async (claims: Record<string, unknown>) =>
      (
        await request(t.url)
          .get('/bookings')
          .set({ Authorization: `Bearer ${await signToken({ sub: 'x', role: 'admin', ...claims })}` })
      ).status;
    expect(await get({ iss: 'https://id.example', aud: 'car-rental' })).toBe(200);
    expect(await get({ iss: 'https://evil.example', aud: 'car-rental' })).toBe(401);
    expect(await get({ iss: 'https://id.example', aud: 'other' })).toBe(401);
    expect(await get({})).toBe(401);
  });
});

describe('Open mode: local clients only', () => {
  it('answers 403 to a remote client unless ALLOW_REMOTE_WITHOUT_AUTH, health excepted', async () => {
    const t = await createTestApp({ TRUST_PROXY: 'loopback' });
    const remote = { 'X-Forwarded-For': '203.0.113.7' };
    const refused = await request(t.url).get('/cars').set(remote).expect(403);
    expect(refused.body.message).toMatch(/AUTH_JWT_SECRET/);
    await request(t.url).get('/health').set(remote).expect(200);
    await request(t.url).get('/cars').expect(200);
    await expect(openWs(t.url, '/ws/chat', { headers: remote })).rejects.toThrow(/403/);
    await t.close();
    const open = await createTestApp({ TRUST_PROXY: 'loopback', ALLOW_REMOTE_WITHOUT_AUTH: 'true' });
    await request(open.url).get('/cars').set(remote).expect(200);
    await open.close();
  });

  it('refuses a chat socket from an origin outside a CORS_ORIGINS list', async () => {
    const t = await createTestApp({ CORS_ORIGINS: 'http://dashboard.example' });
    await expect(openWs(t.url, '/ws/chat', { headers: { Origin: 'http://evil.example' } })).rejects.toThrow(/403/);
    const ok = await openWs(t.url, '/ws/chat', { headers: { Origin: 'http://dashboard.example' } });
    await ok.close();
    await t.close();
  });

  it('keeps every existing row with the built-in agency', async () => {
    const t = await createTestApp();
    const car = await request(t.url).post('/cars').send(carInput()).expect(201);
    expect(car.body.agencyId).toBe('00000000-0000-4000-8000-000000000001');
    const rows = await withClient(t.databaseUrl, (client) => client.query('SELECT name FROM agencies'));
    expect(rows.rows).toEqual(expect.arrayContaining([{ name: 'Built-in agency' }]));
    await t.close();
  });
});
