import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from './support/app.js';
import { carInput } from './support/builders.js';
import { waitFor } from './support/wait.js';
import { openWs, type WsClient } from './support/ws.js';

/** Another client: loopback has every 127.x address, so a second address is a second client. */
const OTHER = '127.0.0.2';

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  response: IncomingMessage;
}

/** One request from `localAddress`; for a stream, resolves at the headers and leaves it open. */
function call(
  url: string,
  method: string,
  body?: unknown,
  localAddress = '127.0.0.1',
  stream = false,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        localAddress,
        headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      },
      (response) => {
        if (stream && response.statusCode === 200) {
          resolve({ status: 200, headers: response.headers, body: '', response });
          return;
        }
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, response }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('Rate limits', () => {
  let t: TestApp;
  const sockets: WsClient[] = [];
  const streams: IncomingMessage[] = [];
  const start = async (settings: Record<string, string>) => {
    t = await createTestApp({ RATE_LIMITS: 'on', ...settings });
  };
  afterEach(async () => {
    streams.splice(0).forEach((response) => response.destroy());
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await t.close();
  });

  it('answers 429 with Retry-After past RATE_LIMIT_WRITES a minute, and serves reads and other clients', async () => {
    await start({ RATE_LIMIT_WRITES: '5' });
    for (let i = 0; i < 5; i++) expect((await call(`${t.url}/cars`, 'POST', carInput())).status).toBe(201);
    const refused = await call(`${t.url}/cars`, 'POST', carInput());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // A browser can read it, and its Retry-After: the same CORS headers as a success.
    const fromPage = await call(`${t.url}/cars`, 'POST', carInput(), '127.0.0.1', false, {
      Origin: 'http://localhost:3001',
    });
    expect(fromPage.status).toBe(429);
    expect(fromPage.headers['access-control-allow-origin']).toBe('http://localhost:3001');
    expect(fromPage.headers['access-control-expose-headers']).toContain('Retry-After');
    expect(JSON.parse(refused.body)).toEqual({
      statusCode: 429,
      message: expect.stringMatching(/^Too many writes/),
      error: 'Too Many Requests',
    });
    expect((await call(`${t.url}/cars`, 'GET')).status).toBe(200);
    expect((await call(`${t.url}/cars`, 'POST', carInput(), OTHER)).status).toBe(201);
    expect(JSON.parse((await call(`${t.url}/cars`, 'GET')).body)).toHaveLength(6);
  });

  it('refuses an SSE stream past RATE_LIMIT_STREAMS with 429, per client, until one closes', async () => {
    await start({ RATE_LIMIT_STREAMS: '2' });
    const sse = `${t.url}/notifications/sse`;
    for (let i = 0; i < 2; i++) streams.push((await call(sse, 'GET', undefined, '127.0.0.1', true)).response);
    const refused = await call(sse, 'GET', undefined, '127.0.0.1', true);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 429, message: expect.stringMatching(/at most 2/) });
    streams.push((await call(sse, 'GET', undefined, OTHER, true)).response);
    streams.shift()!.destroy();
    const again = await waitFor(
      async () => {
        const reply = await call(sse, 'GET', undefined, '127.0.0.1', true);
        return reply.status === 200 ? reply : undefined;
      },
      3000,
      'a free stream slot',
    );
    streams.push(again.response);
  });

  it('refuses a chat socket past RATE_LIMIT_STREAMS at the upgrade with 429', async () => {
    await start({ RATE_LIMIT_STREAMS: '2' });
    sockets.push(await openWs(t.url), await openWs(t.url));
    const refused = new WebSocket(`${t.url.replace('http', 'ws')}/ws/chat`);
    refused.on('error', () => undefined);
    const status = await new Promise<number>((resolve) => {
      refused.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      refused.once('open', () => resolve(101));
    });
    refused.terminate();
    expect(status).toBe(429);
    sockets.push(await openWs(t.url, '/ws/chat', { localAddress: OTHER }));
  });

  it('drops chat frames past RATE_LIMIT_CHAT per 10 s, and closes a socket flooding at twice that with 1008', async () => {
    await start({ RATE_LIMIT_CHAT: '5' });
    const sender = await openWs(t.url);
    const receiver = await openWs(t.url);
    const witness = await openWs(t.url);
    sockets.push(sender, receiver, witness);
    for (let i = 1; i <= 7; i++) sender.send({ id: `m${i}`, sender: 'agency', content: `message ${i}` });
    await receiver.waitForFrames(5);
    // A sentinel from another socket, sent after: the two dropped frames, had they been kept, would be before it.
    witness.send({ id: 'w1', sender: 'agency', content: 'sentinel' });
    const frames = (await receiver.waitForFrames(6)) as { content: string }[];
    expect(frames.map((frame) => frame.content)).toEqual([1, 2, 3, 4, 5].map((i) => `message ${i}`).concat('sentinel'));
    expect(sender.socket.readyState).toBe(WebSocket.OPEN);
    for (let i = 8; i <= 10; i++) sender.send({ id: `m${i}`, sender: 'agency', content: `message ${i}` });
    await waitFor(() => sender.closeCode ?? undefined, 2000, 'the close');
    expect(sender.closeCode).toBe(1008);
    expect(receiver.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('lifts every limit with RATE_LIMITS=off', async () => {
    await start({ RATE_LIMITS: 'off', RATE_LIMIT_WRITES: '1', RATE_LIMIT_STREAMS: '1' });
    for (let i = 0; i < 3; i++) expect((await call(`${t.url}/cars`, 'POST', carInput())).status).toBe(201);
    for (let i = 0; i < 3; i++) {
      streams.push((await call(`${t.url}/notifications/sse`, 'GET', undefined, '127.0.0.1', true)).response);
    }
    sockets.push(await openWs(t.url), await openWs(t.url));
  });
});
