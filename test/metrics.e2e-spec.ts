import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, useTestApp } from './support/app.js';
import { createCar, reviewInput } from './support/builders.js';
import { openSse } from './support/sse.js';
import { waitFor } from './support/wait.js';
import { signToken, TEST_SECRET } from './support/tokens.js';
import { openWs } from './support/ws.js';

/** One sample's value from the Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  const t = useTestApp();
  const scrape = async () => {
    const response = await request(t.url).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    return response.text;
  };

  it('serves the default process metrics, the pool and the listener in the Prometheus format', async () => {
    const text = await scrape();
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'pg_listener_up')).toBe(1);
    expect(sample(text, 'db_pool_connections', '{state="idle"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'db_pool_connections', '{state="waiting"}')).toBe(0);
  });

  it('times requests by route template and status', async () => {
    await request(t.url).get('/cars/00000000-0000-4000-8000-000000000000').expect(404);
    await request(t.url).get('/cars/00000000-0000-4000-8000-000000000001').expect(404);
    const text = await scrape();
    expect(sample(text, 'http_request_duration_seconds_count', '{method="GET",route="/cars/:id",status="404"}')).toBe(
      2,
    );
  });

  it('counts car-list cache misses and hits', async () => {
    const count = async (result: string) =>
      sample(await scrape(), 'cars_list_cache_requests_total', `{result="${result}"}`) ?? 0;
    const [misses, hits] = [await count('miss'), await count('hit')];
    await request(t.url).get('/cars?type=metrics-probe').expect(200);
    await request(t.url).get('/cars?type=metrics-probe').expect(200);
    expect(await count('miss')).toBe(misses + 1);
    expect(await count('hit')).toBe(hits + 1);
  });

  it('counts open streams, published and delivered notifications, open sockets and relayed chat', async () => {
    const before = await scrape();
    const published = sample(before, 'notifications_published_total') ?? 0;
    const delivered = sample(before, 'sse_events_delivered_total') ?? 0;
    const relayed = sample(before, 'chat_messages_relayed_total') ?? 0;

    const streams = [await openSse(`${t.url}/notifications/sse`), await openSse(`${t.url}/notifications/sse`)];
    await waitFor(async () => (sample(await scrape(), 'sse_open_streams') === 2 ? true : undefined), 2000, 'gauge');
    const car = await createCar(t.url);
    await request(t.url).post('/reviews').send(reviewInput(car.id)).expect(201);
    await Promise.all(streams.map((client) => client.waitForEvents(1)));
    const afterReview = await scrape();
    expect(sample(afterReview, 'notifications_published_total')).toBe(published + 1);
    expect(sample(afterReview, 'sse_events_delivered_total')).toBe(delivered + 2);

    const sockets = [await openWs(t.url), await openWs(t.url), await openWs(t.url)];
    expect(sample(await scrape(), 'chat_open_sockets')).toBe(3);
    sockets[0].send({ id: 'metrics-1', sender: 'agency', content: 'hello' });
    await Promise.all([sockets[1].waitForFrames(1), sockets[2].waitForFrames(1)]);
    expect(sample(await scrape(), 'chat_messages_relayed_total')).toBe(relayed + 2);

    streams.forEach((client) => client.close());
    await Promise.all(sockets.map((socket) => socket.close()));
    await waitFor(async () => (sample(await scrape(), 'sse_open_streams') === 0 ? true : undefined), 2000, 'gauge');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('answers 401 without the token and 200 with it', async () => {
    const t = await createTestApp({ METRICS_TOKEN: 'scrape-secret-0123456789' });
    const refused = await request(t.url).get('/metrics').expect(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(refused.body).toMatchObject({ statusCode: 401, message: expect.any(String) });
    await request(t.url).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    await request(t.url).get('/metrics').set('Authorization', 'Bearer scrape-secret-0123456789').expect(200);
    await t.close();
  });
});

describe('GET /metrics in token mode', () => {
  it('takes an admin token or METRICS_TOKEN, and nothing else', async () => {
    const t = await createTestApp({ AUTH_JWT_SECRET: TEST_SECRET, METRICS_TOKEN: 'scrape-secret-0123456789' });
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
    await request(t.url).get('/metrics').expect(401);
    await request(t.url).get('/metrics').set(bearer('scrape-secret-0123456789')).expect(200);
    await request(t.url)
      .get('/metrics')
      .set(bearer(await signToken({ sub: 'admin-1', role: 'admin' })))
      .expect(200);
    await request(t.url)
      .get('/metrics')
      .set(bearer(await signToken({ sub: 'renter-1', role: 'renter' })))
      .expect(403);
    await t.close();
  });
});
