import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import WebSocket from 'ws';
import { BUILT_IN_AGENCY_ID } from '../src/agencies/agency.entity.js';
import { LISTENER_APPLICATION_NAME } from '../src/database/pg-bus.service.js';
import { createTestApp, useTestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { waitFor } from './support/wait.js';
import { openWs, type WsClient } from './support/ws.js';

const dashboardFrame = (content: string, overrides: Record<string, unknown> = {}) => ({
  id: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
  sender: 'agency',
  content,
  timestamp: new Date().toISOString(),
  ...overrides,
});

/** What a frame becomes once stored: its own server id, the client's id kept, the built-in agency's conversation. */
const stored = ({ id, ...frame }: Record<string, unknown>) => ({
  ...frame,
  id: expect.stringMatching(/^[0-9a-f-]{36}$/),
  clientId: id,
  agencyId: BUILT_IN_AGENCY_ID,
});

describe('Chat on /ws/chat', () => {
  const t = useTestApp({ CHAT_MAX_CONTENT_LENGTH: '100', CHAT_MAX_FRAME_BYTES: '2048', WS_PING_INTERVAL_MS: '200' });
  const sockets: WsClient[] = [];
  const connect = async () => {
    const client = await openWs(t.url);
    sockets.push(client);
    return client;
  };
  const history = async () =>
    (await request(t.url).get('/chat/messages').expect(200)).body as {
      id: string;
      clientId: string;
      content: string;
    }[];
  /** The server ids of the stored messages, by the id their client gave them. */
  const serverIds = async () => Object.fromEntries((await history()).map((m) => [m.clientId, m.id]));

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  });

  it('relays a dashboard message as it was sent to every other client, not back to the sender', async () => {
    const agency = await connect();
    const admin = await connect();
    const secondTab = await connect(); // connects and never sends: normal
    const frame = dashboardFrame('Is the Duster back from service?');
    agency.send(frame);

    const [received] = await admin.waitForFrames(1);
    expect(received).toEqual(stored(frame));
    expect(await secondTab.waitForFrames(1)).toEqual([received]);
    // A later message from another socket reaches the sender: had its own come back, it would be first.
    admin.send(dashboardFrame('sentinel', { sender: 'admin' }));
    expect(((await agency.waitForFrames(1)) as { content: string }[]).map((m) => m.content)).toEqual(['sentinel']);
    expect((await history()).slice(0, 1)).toEqual([received]);
  });

  it('completes a frame without id or timestamp, and defaults the sender to agency', async () => {
    const a = await connect();
    const b = await connect();
    const before = Date.now();
    a.send({ content: 'hello' });
    const [message] = (await b.waitForFrames(1)) as {
      id: string;
      sender: string;
      content: string;
      timestamp: string;
    }[];
    expect(message.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(message.sender).toBe('agency');
    expect(message.content).toBe('hello');
    expect(new Date(message.timestamp).toISOString()).toBe(message.timestamp);
    expect(new Date(message.timestamp).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('keeps an agency message and an admin message that carry the same client id (two senders)', async () => {
    const a = await connect();
    const b = await connect();
    const id = String(Date.now());
    a.send(dashboardFrame('from the agency', { id, sender: 'agency' }));
    a.send(dashboardFrame('from the admin', { id, sender: 'admin' }));
    const frames = (await b.waitForFrames(2)) as { id: string; clientId: string; content: string }[];
    expect(frames.map((frame) => [frame.clientId, frame.content])).toEqual([
      [id, 'from the agency'],
      [id, 'from the admin'],
    ]);
    expect(frames[0].id).not.toBe(frames[1].id);
  });

  it('stores and relays a resent id only once', async () => {
    const a = await connect();
    const b = await connect();
    const frame = dashboardFrame('once');
    a.send(frame);
    a.send(frame);
    await b.waitForFrames(1);
    a.send(dashboardFrame('marker'));
    await b.waitForFrames(2);
    expect(b.frames.map((raw) => JSON.parse(raw).content)).toEqual(['once', 'marker']);
    expect((await history()).map((message) => message.content)).toEqual(['once', 'marker']);
  });

  it.each([
    ['text that is not JSON', 'hello there'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"hi"'],
    ['an empty content', JSON.stringify({ content: '   ' })],
    ['a missing content', JSON.stringify({ sender: 'agency' })],
    ['a content that is not a string', JSON.stringify({ content: 42 })],
    ['an unknown sender', JSON.stringify({ content: 'x', sender: 'renter' })],
    ['an oversized content', JSON.stringify({ content: 'x'.repeat(101) })],
    ['an invalid timestamp', JSON.stringify({ content: 'x', timestamp: 'yesterday' })],
    ["Nest's envelope without content", JSON.stringify({ event: 'message', data: { content: 'x' } })],
  ])('drops %s: nothing relayed or stored, the connection stays open', async (_case, raw) => {
    const a = await connect();
    const b = await connect();
    a.send(raw);
    a.send(dashboardFrame('still here'));
    // Frames are handled in order: the valid one after it is the sentinel.
    const frames = await b.waitForFrames(1);
    expect(frames).toHaveLength(1);
    expect(b.frames.map((frame) => JSON.parse(frame).content)).toEqual(['still here']);
    expect(a.socket.readyState).toBe(WebSocket.OPEN);
    expect((await history()).map((message) => message.content)).toEqual(['still here']);
  });

  it('relays, once and not to the sender, what was sent while the listening connection was down', async () => {
    const a = await connect();
    const b = await connect();
    await withClient(t.databaseUrl, (db) =>
      db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
        [LISTENER_APPLICATION_NAME],
      ),
    );
    a.send(dashboardFrame('during the outage'));
    await b.waitForFrames(1, 10_000);
    a.send(dashboardFrame('after it'));
    await b.waitForFrames(2, 10_000);
    // A sentinel from b, after both: a duplicate or an echo would have come before it.
    b.send(dashboardFrame('sentinel'));
    expect(((await a.waitForFrames(1)) as { content: string }[]).map((m) => m.content)).toEqual(['sentinel']);
    // One feed serves both sockets, in order: b has had everything before the sentinel by now.
    expect(b.frames.map((frame) => JSON.parse(frame).content)).toEqual(['during the outage', 'after it']);
  });

  it('refuses a frame over the size limit by closing with 1009', async () => {
    const a = await connect();
    a.send({ content: 'x'.repeat(4000) });
    await waitFor(() => a.closeCode ?? undefined, 2000, 'the close');
    expect(a.closeCode).toBe(1009);
    expect(await history()).toHaveLength(0);
  });

  it('closes a connection that stops answering pings', async () => {
    const silent = new WebSocket(t.url.replace('http', 'ws') + '/ws/chat', { autoPong: false });
    const closed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    const healthy = await connect();
    let pings = 0;
    healthy.socket.on('ping', () => (pings += 1));
    expect(await closed).toBe(1006); // terminated, no close frame
    // Two more pings answered: the healthy socket outlived the checks that closed the silent one.
    await waitFor(() => (pings >= 2 ? true : undefined), 3000, 'two pings');
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('is only served at exactly /ws/chat', async () => {
    await expect(openWs(t.url, '/ws/chat/')).rejects.toThrow();
    await expect(openWs(t.url, '/ws')).rejects.toThrow();
  });

  describe('GET /chat/messages', () => {
    it('returns the newest page oldest first, and pages back with before', async () => {
      const a = await connect();
      const b = await connect();
      for (let i = 1; i <= 5; i++) a.send(dashboardFrame(`m${i}`, { id: `msg-${i}` }));
      await b.waitForFrames(5);
      expect((await history()).map((m) => m.content)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
      const last = await request(t.url).get('/chat/messages?limit=2').expect(200);
      expect(last.body.map((m: { content: string }) => m.content)).toEqual(['m4', 'm5']);
      const ids = await serverIds();
      const earlier = await request(t.url).get(`/chat/messages?limit=2&before=${ids['msg-4']}`).expect(200);
      expect(earlier.body.map((m: { content: string }) => m.content)).toEqual(['m2', 'm3']);
      await request(t.url).get('/chat/messages?limit=0').expect(400);
    });

    it('catches up after a message with after, oldest first; an unknown one gives the newest page', async () => {
      const a = await connect();
      const b = await connect();
      for (let i = 1; i <= 5; i++) a.send(dashboardFrame(`m${i}`, { id: `msg-${i}` }));
      await b.waitForFrames(5);
      const contents = (body: { content: string }[]) => body.map((m) => m.content);
      const ids = await serverIds();
      expect(contents((await request(t.url).get(`/chat/messages?after=${ids['msg-2']}`).expect(200)).body)).toEqual([
        'm3',
        'm4',
        'm5',
      ]);
      expect(
        contents((await request(t.url).get(`/chat/messages?after=${ids['msg-1']}&limit=2`).expect(200)).body),
      ).toEqual(['m2', 'm3']);
      expect((await request(t.url).get(`/chat/messages?after=${ids['msg-5']}`).expect(200)).body).toEqual([]);
      expect(contents((await request(t.url).get('/chat/messages?after=gone&limit=2').expect(200)).body)).toEqual([
        'm4',
        'm5',
      ]);
      const both = await request(t.url).get('/chat/messages?after=msg-1&before=msg-4').expect(400);
      expect(both.body.message).toBe('Use either before or after, not both');
    });
  });
});

describe('Chat options and shutdown', () => {
  it('echoes to the sender when CHAT_ECHO_TO_SENDER is on', async () => {
    const t = await createTestApp({ CHAT_ECHO_TO_SENDER: 'true' });
    const a = await openWs(t.url);
    const frame = dashboardFrame('echo');
    a.send(frame);
    expect(await a.waitForFrames(1)).toEqual([stored(frame)]);
    await a.close();
    await t.close();
  });

  it('closes sockets with 1001 when the application shuts down', async () => {
    const t = await createTestApp();
    const a = await openWs(t.url);
    await t.close();
    await waitFor(() => a.closeCode ?? undefined, 2000, 'the close');
    expect(a.closeCode).toBe(1001);
  });
});

describe('CHAT_HISTORY_ON_CONNECT', () => {
  it('sends a new socket the last N messages oldest first, then live ones, with no duplicate', async () => {
    const t = await createTestApp({ CHAT_HISTORY_ON_CONNECT: '3' });
    const sender = await openWs(t.url);
    for (let i = 1; i <= 5; i++) sender.send(dashboardFrame(`m${i}`, { id: `h-${i}` }));
    await waitFor(
      async () => ((await request(t.url).get('/chat/messages').expect(200)).body.length === 5 ? true : undefined),
      5000,
      'five stored messages',
    );
    expect(sender.frames).toHaveLength(0); // it connected before any history existed

    const late = await openWs(t.url);
    expect(((await late.waitForFrames(3)) as { content: string }[]).map((m) => m.content)).toEqual(['m3', 'm4', 'm5']);
    sender.send(dashboardFrame('m6', { id: 'h-6' }));
    sender.send(dashboardFrame('m7', { id: 'h-7' }));
    // m7 came after m6: a duplicate of the history would have come before it.
    await late.waitForFrames(5);
    expect((late.frames.map((frame) => JSON.parse(frame)) as { content: string }[]).map((m) => m.content)).toEqual([
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
    ]);
    await Promise.all([sender.close(), late.close()]);
    await t.close();
  });

  it('sends nothing on connect by default', async () => {
    const t = await createTestApp();
    const sender = await openWs(t.url);
    const witness = await openWs(t.url);
    sender.send(dashboardFrame('before'));
    await witness.waitForFrames(1);
    const late = await openWs(t.url);
    // The first frame the late socket gets is one sent after it connected: no history came before it.
    sender.send(dashboardFrame('after'));
    expect(((await late.waitForFrames(1)) as { content: string }[]).map((m) => m.content)).toEqual(['after']);
    await Promise.all([sender.close(), witness.close(), late.close()]);
    await t.close();
  });
});
