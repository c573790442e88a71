import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import request from 'supertest';
import { DEMO_AGENCIES, demoTokenCommands, seedDemoData } from '../src/demo/seed.js';
import { signToken, TEST_SECRET } from './support/tokens.js';
import { createTestApp } from './support/app.js';
import { openSse } from './support/sse.js';
import { waitFor } from './support/wait.js';
import { openWs } from './support/ws.js';

describe('Application', () => {
  it('reports health with a database ping', async () => {
    const t = await createTestApp();
    const response = await request(t.url).get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    await t.close();
  });

  it('gives slow clients limits: header and request timeouts, keep-alive past a load balancer idle timeout', async () => {
    const t = await createTestApp({ HTTP_HEADERS_TIMEOUT_MS: '4000', HTTP_REQUEST_TIMEOUT_MS: '9000' });
    const server = t.app.getHttpServer() as Server;
    expect(server.headersTimeout).toBe(4000);
    expect(server.requestTimeout).toBe(9000);
    expect(server.keepAliveTimeout).toBe(65_000);
    await t.close();
  });

  it('documents every route in OpenAPI at /docs', async () => {
    const t = await createTestApp();
    await request(t.url).get('/docs').expect(200);
    const spec = (await request(t.url).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
    };
    // The committed openapi.json is the reference users and tools get: it must be what the app serves.
    const committed = JSON.parse(await readFile('openapi.json', 'utf8'));
    expect(spec).toEqual(committed); // on a deliberate change: npm run openapi, and commit openapi.json
    for (const [path, method, status] of [
      ['/cars/{id}', 'get', '404'],
      ['/health', 'get', '503'],
      ['/bookings', 'post', '422'],
    ]) {
      expect(spec.paths[path][method].responses[status].content).toEqual({
        'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } },
      });
    }
    expect(Object.keys(spec.paths).sort()).toEqual(
      [
        '/admin/overview',
        '/admin/overview/series',
        '/agencies',
        '/agencies/{id}',
        '/agencies/{id}/documents',
        '/agencies/{id}/status',
        '/bookings',
        '/bookings/{id}',
        '/bookings/{id}/history',
        '/bookings/{id}/messages',
        '/audit',
        '/cars',
        '/cars/{id}',
        '/cars/{id}/availability',
        '/cars/{id}/images',
        '/cars/{id}/images/{fileId}',
        '/chat/conversations',
        '/chat/conversations/{agencyId}/read',
        '/chat/messages',
        '/complaints',
        '/complaints/{id}',
        '/complaints/{id}/messages',
        '/documents/{id}',
        '/files/{id}',
        '/health',
        '/health/ready',
        '/metrics',
        '/notifications',
        '/notifications/read-all',
        '/notifications/sse',
        '/notifications/{id}',
        '/notifications/{id}/read',
        '/reviews',
        '/reviews/{id}',
        '/reviews/{id}/reply',
        '/users',
        '/users/me',
        '/users/me/documents',
        '/users/me/favorites',
        '/users/me/favorites/{carId}',
        '/users/{sub}',
        '/users/{sub}/documents',
        '/users/{sub}/status',
      ].sort(),
    );
    await t.close();
  });

  it('serves REST and SSE under API_PREFIX, and the chat socket still at /ws/chat', async () => {
    const t = await createTestApp({ API_PREFIX: 'api' });
    await request(t.url).get('/api/cars').expect(200);
    await request(t.url).get('/cars').expect(404);
    const sse = await openSse(`${t.url}/api/notifications/sse`);
    expect(sse.response.statusCode).toBe(200);
    sse.close();
    const socket = await openWs(t.url);
    await socket.close();
    await t.close();
  });

  it('seeds two agencies in token mode, and says how to get a token for each (never a token)', async () => {
    const t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET });
    await seedDemoData(t.databaseUrl, { twoAgencies: true });
    const cars = (await request(t.url).get('/cars').expect(200)).body as { agencyId: string }[];
    expect(new Set(cars.map((car) => car.agencyId))).toEqual(new Set(DEMO_AGENCIES.map((agency) => agency.id)));
    const token = await signToken({ sub: 'clerk', role: 'agency', agency_id: DEMO_AGENCIES[0].id });
    const own = (
      await request(t.url)
        .get('/cars')
        .set({ Authorization: `Bearer ${token}` })
        .expect(200)
    ).body;
    expect(own).toHaveLength(cars.length / 2);
    const commands = (await demoTokenCommands(t.databaseUrl)).join('\n');
    expect(commands).toContain('npm run -s token -- --role admin');
    for (const agency of DEMO_AGENCIES) expect(commands).toContain(`--role agency --agency ${agency.id}`);
    expect(commands).toContain('--role renter --sub renter-1');
    expect(commands).not.toMatch(/eyJ/); // no JWT
    await t.close();
  });

  it('loads demo data into an empty database only', async () => {
    const t = await createTestApp();
    expect((await request(t.url).get('/cars').expect(200)).body).toEqual([]); // now cached
    expect(await seedDemoData(t.databaseUrl)).toBe('Demo data loaded: 12 cars, 10 bookings, 7 reviews');
    expect(await seedDemoData(t.databaseUrl)).toBe('Demo data skipped: the database already has cars');
    await waitFor(
      async () => ((await request(t.url).get('/cars').expect(200)).body.length === 12 ? true : undefined),
      3000,
      'the running API to see the seeded cars',
    );
    // Only words the dashboard's Edit Car dialog offers, or it shows blank dropdowns.
    const cars = (await request(t.url).get('/cars').expect(200)).body as { type: string; fuelType: string }[];
    for (const car of cars) {
      expect(['Sedan', 'SUV', 'Hatchback', 'Coupe', 'Convertible', 'Van', 'Truck']).toContain(car.type);
      expect(['Gasoline', 'Diesel', 'Electric', 'Hybrid']).toContain(car.fuelType);
    }
    const bookings = (await request(t.url).get('/bookings').expect(200)).body as { status: string }[];
    expect(new Set(bookings.map((booking) => booking.status))).toEqual(
      new Set(['Pending', 'Confirmed', 'Completed', 'Cancelled', 'Rejected']),
    );
    await t.close();
  });
});
