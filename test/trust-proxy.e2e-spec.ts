import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import WebSocket from 'ws';
import { createTestApp } from './support/app.js';
import { carInput } from './support/builders.js';
import { openWs } from './support/ws.js';

/** Writes with a forged or forwarded X-Forwarded-For; returns the statuses. */
async function writes(url: string, forwardedFor: string[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const address of forwardedFor) {
    statuses.push((await request(url).post('/cars').set('X-Forwarded-For', address).send(carInput())).status);
  }
  return statuses;
}

function upgradeStatus(url: string, forwardedFor: string): Promise<number> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/chat`, {
    headers: { 'X-Forwarded-For': forwardedFor },
  });
  socket.on('error', () => undefined);
  return new Promise((resolve) => {
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
  });
}

describe('TRUST_PROXY', () => {
  it('ignores X-Forwarded-For by default: a client cannot pose as many to dodge its limits', async () => {
    const t = await createTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_WRITES: '2', RATE_LIMIT_STREAMS: '1' });
    expect(await writes(t.url, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([201, 201, 429]);
    const first = await openWs(t.url, '/ws/chat', { headers: { 'X-Forwarded-For': '203.0.113.1' } });
    expect(await upgradeStatus(t.url, '203.0.113.2')).toBe(429);
    await first.close();
    await t.close();
  });

  it('behind a trusted balancer, counts each forwarded client on its own', async () => {
    const t = await createTestApp({
      RATE_LIMITS: 'on',
      RATE_LIMIT_WRITES: '2',
      RATE_LIMIT_STREAMS: '1',
      TRUST_PROXY: 'loopback',
      ALLOW_REMOTE_WITHOUT_AUTH: 'true', // remote clients in open mode: this test is about their limits
    });
    expect(await writes(t.url, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([201, 201, 201]);
    expect(await writes(t.url, ['203.0.113.9', '203.0.113.9', '203.0.113.9'])).toEqual([201, 201, 429]);
    const first = await openWs(t.url, '/ws/chat', { headers: { 'X-Forwarded-For': '203.0.113.1' } });
    expect(await upgradeStatus(t.url, '203.0.113.2')).toBe(101);
    expect(await upgradeStatus(t.url, '203.0.113.1')).toBe(429);
    await first.close();
    await t.close();
  });
});
