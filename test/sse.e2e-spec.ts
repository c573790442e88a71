import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { connect as connectSocket } from 'node:net';
import request from 'supertest';
import { LISTENER_APPLICATION_NAME } from '../src/database/pg-bus.service.js';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createCar, reviewInput } from './support/builders.js';
import { notificationsDelivered, truncateAll, withClient } from './support/database.js';
import { openSse, type SseClient } from './support/sse.js';
import { waitFor } from './support/wait.js';

describe('GET /notifications/sse', () => {
  let t: TestApp;
  let car: { id: string };
  const open: SseClient[] = [];

  const connect = async (headers: Record<string, string> = {}, query = '') => {
    const client = await openSse(`${t.url}/notifications/sse${query}`, headers);
    open.push(client);
    return client;
  };
  const review = async (rating: number) =>
    (await request(t.url).post('/reviews').send(reviewInput(car.id, { rating })).expect(201)).body as { id: string };
  const streams = () => t.app.get(NotificationsService).openStreams;

  beforeAll(async () => {
    t = await createTestApp({ SSE_KEEPALIVE_MS: '150', SSE_RETRY_MS: '2500' });
  });
  afterAll(async () => {
    open.forEach((client) => client.close());
    await t.close();
  });
  beforeEach(async () => {
    open.splice(0).forEach((client) => client.close());
    await waitFor(() => (streams() === 0 ? true : undefined), 2000, 'streams to close');
    await truncateAll(t.databaseUrl);
    car = await createCar(t.url, { make: 'Dacia', model: 'Duster' });
  });

  it('streams each new notification as an unnamed event whose data is the Notification', async () => {
    const client = await connect();
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(client.response.headers['content-encoding']).toBeUndefined();
    await waitFor(() => (streams() === 1 ? true : undefined), 2000, 'the stream to open');

    const created = await review(5);
    const [event] = await client.waitForEvents(1);
    expect(event.event).toBeUndefined(); // unnamed: EventSource.onmessage receives it
    const notification = JSON.parse(event.data);
    const [stored] = (await request(t.url).get('/notifications').expect(200)).body;
    expect(notification).toEqual(stored);
    expect(notification).toMatchObject({ type: 'REVIEW', title: 'New Review', data: { review: created } });
    expect(event.id).toMatch(/^[1-9]\d*$/); // its place in delivery order
    expect(client.retry).toBe(2500);
  });

  it('pushes every notification to every open stream, in order', async () => {
    const clients = await Promise.all([connect(), connect(), connect()]);
    await waitFor(() => (streams() === 3 ? true : undefined), 2000, 'three streams');
    await review(1);
    await review(2);
    for (const client of clients) {
      const events = await client.waitForEvents(2);
      expect(events.map((event) => JSON.parse(event.data).message)).toEqual([
        'New 1-star review for Dacia Duster from Youssef B.',
        'New 2-star review for Dacia Duster from Youssef B.',
      ]);
    }
  });

  it('replays everything after Last-Event-ID, then continues live, with no gap or duplicate', async () => {
    const first = await connect();
    await waitFor(() => (streams() === 1 ? true : undefined), 2000, 'the stream');
    await review(1);
    const [seen] = await first.waitForEvents(1);
    first.close();

    await review(2);
    await review(3); // raised while the client was away
    const resumed = await connect({ 'Last-Event-ID': seen.id! });
    await waitFor(() => (resumed.events.length >= 2 ? true : undefined), 3000, 'the replay');
    await review(4);
    // The live one came after the replay: a duplicate of the replay would have come before it.
    const events = await resumed.waitForEvents(3);
    expect(resumed.events.map((event) => JSON.parse(event.data).message[4])).toEqual(['2', '3', '4']);
    const ids = resumed.events.map((event) => BigInt(event.id!));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(ids[0]).toBeGreaterThan(BigInt(seen.id!));
    expect(events).toHaveLength(3);
  });

  it('accepts ?lastEventId= for clients that cannot set headers', async () => {
    const first = await connect();
    await waitFor(() => (first.lastEventId !== null ? true : undefined), 2000, 'the hello');
    await review(1);
    await review(2);
    const [previous] = await first.waitForEvents(2);
    const client = await connect({}, `?lastEventId=${previous.id}`);
    await client.waitForEvents(1);
    await review(3); // a sentinel: whatever the replay sent came before it
    await client.waitForEvents(2);
    expect(client.events.map((event) => JSON.parse(event.data).message)).toEqual([
      'New 2-star review for Dacia Duster from Youssef B.',
      'New 3-star review for Dacia Duster from Youssef B.',
    ]);
  });

  it('tells a new client where it stands, so its first reconnect misses nothing', async () => {
    await review(1);
    await notificationsDelivered(t.databaseUrl, () => t.app.get(NotificationsService).deliveredUpTo);
    const client = await connect();
    const hello = await waitFor(() => client.lastEventId ?? undefined, 2000, 'the hello');
    expect(client.events).toEqual([]); // the hello has an id and a retry, no data: nothing to show
    client.close();
    await review(2);
    // A browser reconnects with the id of the hello event.
    const resumed = await connect({ 'Last-Event-ID': hello });
    const [event] = await resumed.waitForEvents(1);
    expect(JSON.parse(event.data).message).toBe('New 2-star review for Dacia Duster from Youssef B.');
    await review(3); // a sentinel: a second copy of the replay would have come before it
    const events = await resumed.waitForEvents(2);
    expect(events.map((e) => JSON.parse(e.data).message[4])).toEqual(['2', '3']);
  });

  it('sends keepalive comments', async () => {
    const client = await connect();
    await waitFor(
      () => (client.comments.filter((comment) => comment === 'keepalive').length >= 2 ? true : undefined),
      2000,
      'keepalives',
    );
  });

  /** A raw connection to the API: what it sent back so far, and a way to wait for more. */
  const rawConnection = () => {
    const socket = connectSocket(Number(new URL(t.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    return {
      socket,
      received: () => received,
      until: (pattern: RegExp, what: string) =>
        waitFor(() => (pattern.test(received) ? received : undefined), 3000, what),
    };
  };

  /** The raw bytes of a stream on one connection, after a review is posted, until `until` matches them. */
  const rawStream = async (requestLine: string, until: RegExp) => {
    await waitFor(() => (streams() === 0 ? true : undefined), 2000, 'the earlier streams to close');
    const connection = rawConnection();
    connection.socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\n\r\n`);
    try {
      await waitFor(() => (streams() === 1 ? true : undefined), 2000, 'the stream to open');
      await review(4);
      return await connection.until(until, 'the event');
    } finally {
      connection.socket.destroy();
    }
  };

  /** The events of an event-stream body (blank-line separated), keepalive comments left out. */
  const eventsOf = (body: string) =>
    body
      .split('\n\n')
      .map((event) => event.replace(/^\n+/, ''))
      .filter((event) => event !== '' && event !== ': keepalive');

  it('frames the stream as valid HTTP/1.1 chunks: where it stands, then the event', async () => {
    const raw = await rawStream('GET /notifications/sse HTTP/1.1', /\r\n[0-9a-f]+\r\nid: \d+\ndata: .*\n\n\r\n/);
    const end = raw.indexOf('\r\n\r\n');
    expect(raw.slice(0, end)).toMatch(/transfer-encoding: chunked/i);
    // Each chunk: its length in hex, CRLF, exactly that many bytes, CRLF (the last one may still be arriving).
    let body = '';
    for (let rest = raw.slice(end + 4); ;) {
      const size = /^([0-9a-f]+)\r\n/.exec(rest);
      const length = size ? parseInt(size[1], 16) : 0;
      if (!size || rest.length < size[0].length + length + 2) break;
      expect(rest.slice(size[0].length + length, size[0].length + length + 2)).toBe('\r\n');
      body += rest.slice(size[0].length, size[0].length + length);
      rest = rest.slice(size[0].length + length + 2);
    }
    const [hello, event] = eventsOf(body);
    expect(hello.split('\n').sort()).toEqual([expect.stringMatching(/^id: \d+$/), 'retry: 2500']);
    expect(JSON.parse(/^id: \d+\ndata: (.*)$/.exec(event)![1])).toMatchObject({ type: 'REVIEW', title: 'New Review' });
  });

  it('sends the events as they are to an HTTP/1.0 client (no chunks)', async () => {
    const raw = await rawStream('GET /notifications/sse HTTP/1.0', /\ndata: .*\n\n/);
    expect(raw).not.toMatch(/transfer-encoding/i);
    const [hello, event, ...rest] = eventsOf(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(hello.split('\n').sort()).toEqual([expect.stringMatching(/^id: \d+$/), 'retry: 2500']);
    expect(event).toMatch(/^id: \d+\ndata: \{.*"type":"REVIEW".*\}$/);
    expect(rest).toEqual([]);
  });

  it('answers HEAD with the headers and no body, and the next request on the connection', async () => {
    const connection = rawConnection();
    try {
      connection.socket.write(
        'HEAD /notifications/sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      );
      const raw = await connection.until(/"status":"ok".*\}$/, 'the answer to the second request');
      const [head, second] = raw.split(/(?=HTTP\/1\.1 )/);
      expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(head).toMatch(/content-type: text\/event-stream/i);
      expect(head.endsWith('\r\n\r\n')).toBe(true); // headers only: not one byte of the stream
      expect(second).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    } finally {
      connection.socket.destroy();
    }
  });

  it('streams a request pipelined behind another on the same connection', async () => {
    const connection = rawConnection();
    try {
      connection.socket.write(
        'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /notifications/sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      );
      await waitFor(() => (streams() === 1 ? true : undefined), 2000, 'the pipelined stream to open');
      await review(4);
      const raw = await connection.until(/\ndata: .*"type":"REVIEW"/, 'the event on the pipelined stream');
      expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*"status":"ok"[\s\S]*HTTP\/1\.1 200 OK\r\n/);
      expect(raw).not.toMatch(/HTTP\/1\.1 400/);
    } finally {
      connection.socket.destroy();
    }
  });

  it('forgets a client as soon as it disconnects', async () => {
    const a = await connect();
    await connect();
    await waitFor(() => (streams() === 2 ? true : undefined), 2000, 'two streams');
    a.close();
    await waitFor(() => (streams() === 1 ? true : undefined), 2000, 'one stream');
  });

  it('keeps streaming after the listening connection to PostgreSQL is cut', async () => {
    const client = await connect();
    await waitFor(() => (streams() === 1 ? true : undefined), 2000, 'the stream');
    await withClient(t.databaseUrl, (db) =>
      db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
        [LISTENER_APPLICATION_NAME],
      ),
    );
    await review(4); // may be raised while the listener is down: caught up after reconnecting
    const [event] = await client.waitForEvents(1, 10_000);
    expect(JSON.parse(event.data).message).toBe('New 4-star review for Dacia Duster from Youssef B.');
    await review(5);
    await client.waitForEvents(2, 10_000);
  });
});

describe('SSE when the listening connection hangs without closing', () => {
  it('notices with its probe, reconnects and delivers what was missed', async () => {
    const t = await createTestApp();
    const car = await createCar(t.url, { make: 'Dacia', model: 'Duster' });
    const client = await openSse(`${t.url}/notifications/sse`);
    await waitFor(() => (t.app.get(NotificationsService).openStreams === 1 ? true : undefined), 2000, 'the stream');
    // Freeze the server process behind the listener: its socket stays open, nothing answers (half-open).
    const [{ pid }] = await withClient(t.databaseUrl, async (db) => {
      const result = await db.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [LISTENER_APPLICATION_NAME],
      );
      return result.rows;
    });
    process.kill(pid, 'SIGSTOP');
    try {
      await request(t.url)
        .post('/reviews')
        .send(reviewInput(car.id, { rating: 2 }))
        .expect(201);
      const [event] = await client.waitForEvents(1, 20_000);
      expect(JSON.parse(event.data).message).toBe('New 2-star review for Dacia Duster from Youssef B.');
    } finally {
      process.kill(pid, 'SIGCONT');
      client.close();
      await t.close();
    }
  }, 30_000);
});

describe('SSE on shutdown', () => {
  it('ends open streams when the application closes', async () => {
    const t = await createTestApp();
    const client = await openSse(`${t.url}/notifications/sse`);
    const ended = new Promise<void>((resolve) => {
      client.response.once('end', () => resolve());
      client.response.once('close', () => resolve());
    });
    await t.close();
    await ended;
  });
});
