import { Agent, request as httpRequest } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { Lifecycle } from '../src/health/lifecycle.service.js';
import { createTestApp } from './support/app.js';
import { openSse } from './support/sse.js';
import { carInput } from './support/builders.js';
import { sleep, waitFor } from './support/wait.js';
import { openWs } from './support/ws.js';

/** GET over a keep-alive agent: the connection stays open, idle, after the answer. */
function keepAliveGet(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Shutdown', () => {
  it('exits within 3 s with streams, sockets and an idle keep-alive connection open', async () => {
    // As main.ts runs it: no forced closing of connections, a 65 s keep-alive timeout.
    const t = await createTestApp({}, undefined, { forceCloseConnections: false });
    const streams = await Promise.all(Array.from({ length: 20 }, () => openSse(`${t.url}/notifications/sse`)));
    const sockets = await Promise.all(Array.from({ length: 20 }, () => openWs(t.url)));
    const agent = new Agent({ keepAlive: true });
    expect(await keepAliveGet(`${t.url}/cars`, agent)).toBe(200);
    const ended = streams.map(
      (client) => new Promise<void>((resolve) => client.response.once('close', () => resolve())),
    );

    // A request still arriving when shutdown begins: it is finished, then its connection is not kept.
    const body = JSON.stringify(carInput());
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${t.url}/cars`, {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      });
      req.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await sleep(100);

    const started = Date.now();
    await Promise.all([t.close(), inFlight.then((status) => expect(status).toBe(201))]);
    expect(Date.now() - started).toBeLessThan(3000);
    await Promise.all(ended);
    await waitFor(() => (sockets.every((socket) => socket.closeCode === 1001) ? true : undefined), 2000, '1001s');
    agent.destroy();
  });

  it('is not ready once shutdown begins, so a load balancer stops routing to it first', async () => {
    const t = await createTestApp();
    await request(t.url).get('/health/ready').expect(200);
    t.app.get(Lifecycle).onModuleDestroy(); // the first step of Nest's shutdown sequence
    const response = await request(t.url).get('/health/ready').expect(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.headers.connection).toBe('close');
    expect(response.body).toEqual({ statusCode: 503, message: 'Shutting down', error: 'Service Unavailable' });
    await request(t.url).get('/health').expect(200); // still alive meanwhile
    await t.close();
  });
});
