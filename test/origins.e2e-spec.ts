import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';
import { carInput } from './support/builders.js';
import { withClient } from './support/database.js';
import { signToken, TEST_SECRET } from './support/tokens.js';
import { openWs } from './support/ws.js';

const EVIL = 'https://evil.example';
const countCars = (t: TestApp) =>
  withClient(t.databaseUrl, async (client) => Number((await client.query('SELECT count(*) FROM cars')).rows[0].count));

describe('Open mode: pages of other sites cannot drive the API through a local browser', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("refuses a write from another site's page with 403, stores nothing and sends no CORS grant", async () => {
    const response = await request(t.url).post('/cars').set('Origin', EVIL).send(carInput()).expect(403);
    expect(response.body.message).toMatch(/^Origin https:\/\/evil\.example is not allowed/);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(await countCars(t)).toBe(0);
    await request(t.url).get('/cars').set('Origin', EVIL).expect(403);
  });

  it('lets pages served from this machine in, and clients that send no Origin', async () => {
    for (const origin of ['http://localhost:3001', 'http://127.0.0.1:8080', 'http://[::1]:3000', 'http://localhost']) {
      const response = await request(t.url).get('/cars').set('Origin', origin).expect(200);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
    }
    await request(t.url).post('/cars').send(carInput()).expect(201);
    await request(t.url).get('/cars').set('Origin', 'http://localhost.evil.example').expect(403);
  });

  it("refuses the chat socket to another site's page (403 at the upgrade), not to a local one", async () => {
    await expect(openWs(t.url, '/ws/chat', { headers: { Origin: EVIL } })).rejects.toThrow(/403/);
    const local = await openWs(t.url, '/ws/chat', { headers: { Origin: 'http://localhost:3001' } });
    await local.close();
  });

  it('answers refusals made before any route with the CORS headers of a success', async () => {
    const origin = 'http://localhost:3001';
    const unsupported = await request(t.url)
      .post('/cars')
      .set('Origin', origin)
      .set('Content-Type', 'text/plain')
      .send('make=Dacia')
      .expect(415);
    expect(unsupported.headers['access-control-allow-origin']).toBe(origin);
    const tooLarge = await request(t.url)
      .post('/cars')
      .set('Origin', origin)
      .send({ ...carInput(), description: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413);
    expect(tooLarge.headers['access-control-allow-origin']).toBe(origin);
    expect(tooLarge.headers['access-control-expose-headers']).toContain('Retry-After');
  });
});

describe('Open mode with CORS_ORIGINS', () => {
  it('lets the listed dashboards in (REST and socket), and still refuses other sites', async () => {
    const t = await createTestApp({ CORS_ORIGINS: 'https://dashboard.example' });
    try {
      const listed = await request(t.url).get('/cars').set('Origin', 'https://dashboard.example').expect(200);
      expect(listed.headers['access-control-allow-origin']).toBe('https://dashboard.example');
      await request(t.url).get('/cars').set('Origin', 'http://localhost:3001').expect(200);
      await request(t.url).get('/cars').set('Origin', EVIL).expect(403);
      const socket = await openWs(t.url, '/ws/chat', { headers: { Origin: 'https://dashboard.example' } });
      await socket.close();
      await expect(openWs(t.url, '/ws/chat', { headers: { Origin: EVIL } })).rejects.toThrow(/403/);
    } finally {
      await t.close();
    }
  });
});

describe('Token mode', () => {
  it('keeps any origin by default: a page cannot send a bearer token it does not have', async () => {
    const t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET });
    try {
      const response = await request(t.url).get('/cars').set('Origin', EVIL).expect(200);
      expect(response.headers['access-control-allow-origin']).toBe(EVIL);
      await request(t.url).post('/cars').set('Origin', EVIL).send(carInput()).expect(401);
      const admin = await signToken({ sub: 'admin-1', role: 'admin' });
      const socket = await openWs(t.url, `/ws/chat?access_token=${admin}`, { headers: { Origin: EVIL } });
      await socket.close();
    } finally {
      await t.close();
    }
  });
});
