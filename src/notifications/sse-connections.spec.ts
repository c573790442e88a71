import { afterEach, describe, expect, it } from '@jest/globals';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'express';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Subject } from 'rxjs';
import type { DataSource } from 'typeorm';
import { OPEN } from '../auth/actor.js';
import type { Environment } from '../config/environment.js';
import { Metrics } from '../metrics/metrics.service.js';
import type { FeedNotification, NotificationsService } from './notifications.service.js';
import { SseConnections } from './sse-connections.js';

const AGENCY = '00000000-0000-4000-8000-000000000001';
const item = (seq: number, padding = 0): FeedNotification => ({
  seq: BigInt(seq),
  agencyId: AGENCY,
  frame: Buffer.from(`id: ${seq}\ndata: {"n":${seq},"pad":"${'x'.repeat(padding)}"}\n\n`),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The SSE writer on a real HTTP server and real sockets; the feed it is given is a Subject and its
 * replay source a function, so that each test decides what is stored and when items go live.
 */
function setup(source: Pick<NotificationsService, 'startAt' | 'after' | 'deliveredUpTo'>) {
  const live = new Subject<FeedNotification>();
  const metrics = new Metrics({ driver: {} } as unknown as DataSource);
  const settings: Partial<Environment> = { SSE_RETRY_MS: 1000, SSE_KEEPALIVE_MS: 60_000 };
  const config = new ConfigService<Environment, true>(settings);
  const connections = new SseConnections({ ...source, live } as unknown as NotificationsService, config, metrics);
  const server: Server = createServer((_request, response) => connections.open(response as Response, undefined, OPEN));
  return { live, metrics, connections, server };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 5000; !check(); await sleep(5)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
  }
}

describe('SseConnections', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  it('sends the replay, then what went live meanwhile, each once and in order', async () => {
    let releaseReplay!: () => void;
    const replayed = new Promise<void>((resolve) => (releaseReplay = resolve));
    const { live, connections, server } = setup({
      deliveredUpTo: 0n,
      startAt: (seq) => Promise.resolve(seq),
      // Stored: 1..3. The replay is slow: 2..5 go live before it is done.
      after: async (seq) => {
        await replayed;
        return [1, 2, 3].filter((n) => BigInt(n) > seq).map((n) => item(n));
      },
    });
    const port = await listen(server);
    cleanups.push(() => server.close());
    const received: string[] = [];
    const response = await new Promise<IncomingMessage>((resolve) =>
      httpRequest(`http://127.0.0.1:${port}/`, resolve).end(),
    );
    cleanups.push(() => response.destroy());
    response.setEncoding('utf8');
    response.on('data', (chunk: string) =>
      received.push(...[...chunk.matchAll(/^id: (\d+)\ndata/gm)].map((m) => m[1])),
    );
    await waitUntil(() => connections.size === 1, 'the stream');
    [2, 3, 4, 5].forEach((n) => live.next(item(n)));
    releaseReplay();
    await waitUntil(() => received.length >= 5, 'five events');
    live.next(item(6));
    await waitUntil(() => received.length >= 6, 'the sixth');
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(received).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('drops a client that stops reading, and counts it', async () => {
    const { live, metrics, connections, server } = setup({
      deliveredUpTo: 0n,
      startAt: (seq) => Promise.resolve(seq),
      after: () => Promise.resolve([]),
    });
    const port = await listen(server);
    cleanups.push(() => server.close());
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await waitUntil(() => connections.size === 1, 'the stream');
    socket.pause(); // reads nothing more: the kernel buffers fill, then the server's backlog grows
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    for (let seq = 1; connections.size === 1 && seq < 2000; seq++) {
      live.next(item(seq, 64 * 1024));
      await sleep(1);
    }
    expect(connections.size).toBe(0);
    socket.resume();
    await closed;
    const dropped = await metrics.registry.getSingleMetric('sse_slow_clients_dropped_total')!.get();
    expect(dropped.values[0].value).toBe(1);
  });

  it('forgets a stream whose client leaves while its replay waits for the database', async () => {
    let attempts = 0;
    const { connections, server } = setup({
      deliveredUpTo: 0n,
      startAt: () => {
        attempts += 1;
        return Promise.reject(new Error('Connection terminated')); // the database is down
      },
      after: () => Promise.resolve([]),
    });
    const port = await listen(server);
    cleanups.push(() => server.close());
    const response = await new Promise<IncomingMessage>((resolve) =>
      httpRequest(`http://127.0.0.1:${port}/`, resolve).end(),
    );
    await waitUntil(() => attempts >= 1 && connections.size === 1, 'a waiting stream');
    response.destroy();
    await waitUntil(() => connections.size === 0, 'the stream to be forgotten');
  });
});
