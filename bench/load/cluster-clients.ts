/**
 * Load generator process for `npm run bench:cluster`: N SSE streams or N chat sockets opened
 * through the load balancer, each behaving like the dashboard's client when its node dies:
 * an SSE stream reconnects with `Last-Event-ID` after the server's `retry` (SSE_RETRY_MS, 3 s
 * by default), exactly as EventSource does; a chat socket reconnects after 0.5-1 s and catches
 * up from `GET /chat/messages`. Each client
 * records every notification id / chat message id it receives; on `expect`, the process
 * waits until every client holds the expected ids (or the timeout) and reports.
 */
import { request, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';

export type ClusterClientsCommand =
  | { type: 'open'; kind: 'sse' | 'ws'; baseUrl: string; count: number }
  | { type: 'expect'; ids: string[]; timeoutMs: number }
  | { type: 'close' };

export interface ClusterClientsReport {
  type: 'report';
  kind: 'sse' | 'ws';
  clients: number;
  /** Clients holding every expected id. */
  complete: number;
  missing: { clients: number; total: number };
  /** The same id delivered twice on one live connection (or across an SSE replay). */
  duplicates: { clients: number; total: number };
  /** An SSE event whose id was not above the previous one. */
  outOfOrder: number;
  /** Connections lost, and answers other than 101/200 while reconnecting (by status). */
  drops: number;
  reconnectStatuses: Record<string, number>;
  /** From the first lost connection to the last one reopened, ms (0 when none was lost). */
  recoveryMs: number;
  /** Per lost connection, from its loss to its reopening: median and slowest, ms. */
  reconnectP50Ms: number;
  reconnectMaxMs: number;
  /** Chat: ids that reached a client only through its catch-up read; catch-up reads that never succeeded. */
  caughtUp: number;
  catchUpFailures: number;
}

const BATCH = 200;
const now = () => performance.timeOrigin + performance.now();
const jitter = (ms: number) => ms + Math.random() * ms;

let kind: 'sse' | 'ws' = 'sse';
let baseUrl = '';
const clients: Client[] = [];
let closing = false;
let firstDropAt = 0;
let lastReopenAt = 0;
let drops = 0;
let catchUpFailures = 0;
const reconnectMs: number[] = [];
const reconnectStatuses: Record<string, number> = {};

interface Client {
  received: Set<string>;
  /** The last chat message id received on the live connection: where a catch-up after losing it starts. */
  lastId?: string;
  duplicates: number;
  outOfOrder: number;
  caughtUp: number;
  close: () => void;
}

/**
 * A connection ended (`lostAt` is when) or a reconnection failed (`lostAt` carries the original
 * loss): try again after `delayMs`.
 */
function retry(reopen: (lostAt: number) => void, delayMs: number, lostAt: number, wasOpen: boolean): void {
  if (closing) return;
  if (wasOpen) {
    drops += 1;
    if (!firstDropAt) firstDropAt = lostAt;
  }
  setTimeout(() => reopen(lostAt), delayMs);
}

/** A connection is open again: `lostAt` is when the one it replaces was lost (0 on first open). */
function reopened(lostAt: number): void {
  if (!lostAt) return;
  lastReopenAt = now();
  reconnectMs.push(lastReopenAt - lostAt);
}

function openSse(): Promise<void> {
  const client: Client = { received: new Set(), duplicates: 0, outOfOrder: 0, caughtUp: 0, close: () => undefined };
  clients.push(client);
  let lastId = '';
  let retryMs = 1000;
  const connect = (lostAt: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const reconnecting = lostAt > 0;
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (lastId) headers['Last-Event-ID'] = lastId;
      const req = request(`${baseUrl}/notifications/sse`, { agent: false, headers }, (response: IncomingMessage) => {
        if (response.statusCode !== 200) {
          reconnectStatuses[response.statusCode ?? 0] = (reconnectStatuses[response.statusCode ?? 0] ?? 0) + 1;
          response.resume();
          if (!reconnecting) reject(new Error(`SSE answered ${response.statusCode}`));
          else retry((since) => void connect(since), retryMs, lostAt, false);
          return;
        }
        reopened(lostAt);
        resolve();
        let buffer = '';
        let lost = false;
        const lose = () => {
          if (lost) return;
          lost = true;
          retry((since) => void connect(since), retryMs, now(), true);
        };
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let id = '';
            let data = false;
            for (const line of event.split('\n')) {
              if (line.startsWith('id: ')) id = line.slice(4);
              else if (line.startsWith('data: ')) data = true;
              else if (line.startsWith('retry: ')) retryMs = Number(line.slice(7));
            }
            if (id && data) {
              if (client.received.has(id)) client.duplicates += 1;
              else if (lastId && BigInt(id) <= BigInt(lastId)) client.outOfOrder += 1;
              client.received.add(id);
            }
            if (id) lastId = id;
          }
        });
        response.on('end', lose);
        response.on('error', lose);
        response.on('close', lose);
      });
      req.on('error', (error) => {
        if (!reconnecting) reject(error);
        else {
          reconnectStatuses['connection error'] = (reconnectStatuses['connection error'] ?? 0) + 1;
          retry((since) => void connect(since), retryMs, lostAt, false);
        }
      });
      req.end();
      client.close = () => req.destroy();
    });
  return connect(0);
}

function openWs(): Promise<void> {
  const client: Client = { received: new Set(), duplicates: 0, outOfOrder: 0, caughtUp: 0, close: () => undefined };
  clients.push(client);
  const url = `${baseUrl.replace(/^http/, 'ws')}/ws/chat`;
  const connect = (lostAt: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const reconnecting = lostAt > 0;
      // Captured now: frames arriving live on the new socket move lastId past the gap.
      const resumeAfter = client.lastId;
      const socket = new WebSocket(url, { perMessageDeflate: false });
      const live = new Set<string>();
      let opened = false;
      socket.on('message', (frame: Buffer) => {
        const { id } = JSON.parse(frame.toString()) as { id: string };
        if (live.has(id)) client.duplicates += 1;
        live.add(id);
        client.received.add(id);
        client.lastId = id;
      });
      socket.once('open', () => {
        opened = true;
        reopened(lostAt);
        resolve();
        // The dashboard's reload path: what was said while this client was away, from the history.
        if (reconnecting) void catchUp(client, resumeAfter);
      });
      socket.on('unexpected-response', (_request, response: IncomingMessage) => {
        reconnectStatuses[response.statusCode ?? 0] = (reconnectStatuses[response.statusCode ?? 0] ?? 0) + 1;
      });
      socket.once('error', (error) => {
        if (!reconnecting) reject(error);
      });
      socket.once('close', () => {
        retry((since) => void connect(since), jitter(500), opened ? now() : lostAt, opened);
      });
      client.close = () => socket.terminate();
    });
  return connect(0);
}

/**
 * Reads what was said after the last message this client saw (`?after=`, page by page), retrying
 * 1 s apart, up to a minute, while the balancer has no node for it.
 */
async function catchUp(client: Client, resumeAfter: string | undefined): Promise<void> {
  let cursor = resumeAfter;
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const after = cursor ? `&after=${encodeURIComponent(cursor)}` : '';
      const response = await fetch(`${baseUrl}/chat/messages?limit=500${after}`);
      if (response.ok) {
        const page = (await response.json()) as { id: string }[];
        for (const { id } of page) {
          if (!client.received.has(id)) client.caughtUp += 1;
          client.received.add(id);
          cursor = id;
        }
        if (page.length < 500) return;
        continue;
      }
      await response.arrayBuffer();
    } catch {
      // no answer: try again
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
  catchUpFailures += 1;
}

function report(ids: string[]): ClusterClientsReport {
  const missingPerClient = clients.map((client) => ids.filter((id) => !client.received.has(id)).length);
  return {
    type: 'report',
    kind,
    clients: clients.length,
    complete: missingPerClient.filter((missing) => missing === 0).length,
    missing: {
      clients: missingPerClient.filter((missing) => missing > 0).length,
      total: missingPerClient.reduce((sum, missing) => sum + missing, 0),
    },
    duplicates: {
      clients: clients.filter((client) => client.duplicates > 0).length,
      total: clients.reduce((sum, client) => sum + client.duplicates, 0),
    },
    outOfOrder: clients.reduce((sum, client) => sum + client.outOfOrder, 0),
    drops,
    reconnectStatuses,
    recoveryMs: firstDropAt && lastReopenAt ? Math.round(lastReopenAt - firstDropAt) : 0,
    ...(() => {
      const sorted = [...reconnectMs].sort((a, b) => a - b);
      return {
        reconnectP50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
        reconnectMaxMs: Math.round(sorted[sorted.length - 1] ?? 0),
      };
    })(),
    caughtUp: clients.reduce((sum, client) => sum + client.caughtUp, 0),
    catchUpFailures,
  };
}

async function handle(command: ClusterClientsCommand): Promise<void> {
  if (command.type === 'open') {
    kind = command.kind;
    baseUrl = command.baseUrl;
    for (let start = 0; start < command.count; start += BATCH) {
      const batch = [];
      for (let index = start; index < Math.min(command.count, start + BATCH); index++)
        batch.push(kind === 'sse' ? openSse() : openWs());
      await Promise.all(batch);
    }
    process.send?.({ type: 'opened' });
  } else if (command.type === 'expect') {
    const deadline = Date.now() + command.timeoutMs;
    const complete = () => clients.every((client) => command.ids.every((id) => client.received.has(id)));
    while (!complete() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 250));
    process.send?.(report(command.ids));
  } else {
    closing = true;
    clients.forEach((client) => client.close());
    process.send?.({ type: 'closed' });
    process.disconnect();
  }
}

process.on('message', (command: ClusterClientsCommand) => {
  handle(command).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
