import type { Socket } from 'node:net';
import { BadRequestException, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'express';
import { atExpiry, isUser, ownAgency, type Actor } from '../auth/actor.js';
import type { Environment } from '../config/environment.js';
import { Metrics } from '../metrics/metrics.service.js';
import { NotificationsService, type FeedNotification } from './notifications.service.js';

/** Bytes a client may leave unread before it is dropped (it reconnects and resumes with Last-Event-ID). */
const MAX_BACKLOG_BYTES = 1024 * 1024;
/** While the database cannot replay (an outage), a stream waits and tries again; the client keeps its place. */
const REPLAY_RETRY_MS = 1000;
const REPLAY_BATCH = 500;
/** The group of the streams that see every agency's notifications (the admin, open mode). */
const EVERY_AGENCY = '*';
const CRLF = Buffer.from('\r\n');

/** Bytes of the event stream, as sent: as they are (HTTP/1.0) or as one HTTP/1.1 chunk. */
interface Frame {
  plain: Buffer;
  chunked: Buffer;
}

function frame(bytes: Buffer | string): Frame {
  const plain = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return { plain, chunked: Buffer.concat([Buffer.from(`${plain.length.toString(16)}\r\n`), plain, CRLF]) };
}

const KEEPALIVE = frame(': keepalive\n\n');

/** The headers Nest's @Sse() sends, for the same reasons (no caching, no proxy buffering). */
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  Connection: 'keep-alive',
  'Cache-Control': 'private, no-cache, no-store, must-revalidate, max-age=0, no-transform',
  Pragma: 'no-cache',
  Expires: '0',
  'X-Accel-Buffering': 'no',
};

interface Connection {
  response: Response;
  /** Where its body goes once the headers are out (see `open`). */
  socket: Socket;
  /** Whether the body is a series of chunks (HTTP/1.1) or the bytes as they are (HTTP/1.0). */
  chunked: boolean;
  /** Its reader's agency, or EVERY_AGENCY. */
  group: string;
  /** Until its replay is done, live frames wait here, in order. */
  waiting: { item: FeedNotification; bytes: Frame }[] | null;
  /** The feed_seq of the last event it was sent. */
  position: bigint;
  /**
   * Set when the response ends or closes. Checked instead of the response's own state: on an
   * Express response every property read is slow (see below), and this is read once per event.
   */
  ended: boolean;
}

/**
 * The one place where notifications are written to the network: this process's open SSE
 * responses, grouped by the agency they may see. It is the HTTP side of GET /notifications/sse
 * (the controller hands it the response; NotificationsService only provides the ordered feed and
 * the replay): a notification is formatted and framed once and written to every open stream of its
 * group, one write per stream, and one timer keeps all of them alive.
 *
 * Why not a plain @Sse() Observable: measured with `npm run bench` (fan-out to 5,000 streams, p99
 * from the trigger to the client), Nest's SSE pipeline gave 156 ms against the bare server's 50 ms
 * (3.1x), because every event goes through map, tap, a promise and a Transform stream, and is
 * formatted again, for every subscriber. An idle @Sse() stream also held 28 KiB of heap in the API
 * against 12.8 KiB with this writer.
 *
 * Why the socket and not `response.write`: Express gives every response object a prototype of its
 * own (`Object.setPrototypeOf(res, app.response)`), and V8 then serves the property accesses inside
 * Node's `write` slowly; and Node holds a response's writes until the next tick, so no stream gets
 * an event before the loop over all of them ends. `npm run bench:sse-write`, one event to 5,000
 * streams: the loop takes 17–19 ms through Express responses against 3–6 ms through plain ones, and
 * the last byte is on its socket after 58–66 ms; written to the sockets, every stream has it as soon
 * as its turn comes, the last after 38–58 ms. The fan-out p99 of `npm run bench` went from 93–100 to
 * 56–70 ms (the bare server's, storing the same rows: 51–78 ms). So once the headers are out, the frames go to the
 * response's socket, framed as HTTP/1.1 chunks here (once per notification, not per stream) exactly
 * as Node frames them; `response.end()` still ends the stream properly.
 */
@Injectable()
export class SseConnections implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SseConnections.name);
  private readonly groups = new Map<string, Set<Connection>>();
  private count = 0;
  private readonly keepalive: NodeJS.Timeout;
  private readonly retryMs: number;
  private lastReplayWarning = 0;
  /** Events written since they were last counted in the metric. */
  private deliveries = 0;

  constructor(
    private readonly notifications: NotificationsService,
    config: ConfigService<Environment, true>,
    private readonly metrics: Metrics,
  ) {
    this.retryMs = config.get('SSE_RETRY_MS', { infer: true });
    notifications.live.subscribe((item) => this.broadcast(item));
    this.keepalive = setInterval(() => this.broadcastBytes(KEEPALIVE), config.get('SSE_KEEPALIVE_MS', { infer: true }));
    this.keepalive.unref();
    metrics.gauge('sse_open_streams', 'Open SSE notification streams on this process', () => this.count);
  }

  /** Open streams on this process. */
  get size(): number {
    return this.count;
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.keepalive);
    for (const group of [...this.groups.values()]) for (const connection of [...group]) this.end(connection);
  }

  /**
   * Starts an event stream on `response`: the headers, where the reader stands (an `id` with a
   * `retry` hint), every notification it may see after `lastEventId` from the database, then live
   * ones, with no gap and no duplicate. It ends when the client leaves, when the token that opened
   * it expires (the client reconnects with a fresh one), and at shutdown.
   */
  open(response: Response, lastEventId: string | undefined, actor: Actor): void {
    // Node gives a response its socket at once unless the request was pipelined behind another on
    // the same connection (EventSource never does): the stream needs it from the start.
    const socket = response.socket;
    if (!socket) throw new BadRequestException('An event stream cannot be pipelined behind another request');
    response.writeHead(200, SSE_HEADERS);
    response.flushHeaders(); // on the socket now: what follows comes after them
    const connection: Connection = {
      response,
      socket,
      chunked: response.chunkedEncoding,
      group: ownAgency(actor) ?? EVERY_AGENCY,
      waiting: [],
      position: 0n,
      ended: false,
    };
    socket.setNoDelay(true);
    socket.setTimeout(0);
    this.add(connection);
    const cancelExpiry = isUser(actor) ? atExpiry(actor, () => this.end(connection)) : () => undefined;
    response.once('close', () => {
      connection.ended = true;
      cancelExpiry();
      this.remove(connection);
    });
    this.start(connection, lastEventId).catch((error: unknown) => {
      this.logger.error(`An SSE stream could not start: ${String(error)}`);
      this.remove(connection);
      response.destroy();
    });
  }

  private async start(connection: Connection, lastEventId: string | undefined): Promise<void> {
    const own = connection.group === EVERY_AGENCY ? undefined : connection.group;
    const claimed = lastEventId !== undefined ? BigInt(lastEventId) : this.notifications.deliveredUpTo;
    const start = await this.patiently(connection, () => this.notifications.startAt(claimed));
    if (start === undefined) return;
    connection.position = start;
    this.write(connection, frame(`retry: ${this.retryMs}\nid: ${start}\n\n`));
    for (;;) {
      const batch = await this.patiently(connection, () =>
        this.notifications.after(connection.position, REPLAY_BATCH, own),
      );
      if (batch === undefined) return;
      for (const item of batch) {
        const full = !this.send(connection, item);
        this.countDeliveries();
        if (full) await drained(connection); // a replay never floods a client
        if (!this.isOpen(connection)) return;
      }
      if (batch.length < REPLAY_BATCH) break;
    }
    const waiting = connection.waiting ?? [];
    connection.waiting = null;
    // In feed order, framed as they were broadcast; those replayed already are skipped.
    for (const { item, bytes } of waiting) this.send(connection, item, bytes);
    this.countDeliveries();
  }

  /** Runs `load` until it succeeds (the database may be down); undefined once the stream is gone. */
  private async patiently<T>(connection: Connection, load: () => Promise<T>): Promise<T | undefined> {
    for (let delay = REPLAY_RETRY_MS; this.isOpen(connection); delay = Math.min(delay * 2, 5000)) {
      try {
        return await load();
      } catch (error) {
        this.warnReplayWaits(error);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
    return undefined;
  }

  /** Every waiting stream retries on its own: one log line per 10 s says it, not one per stream. */
  private warnReplayWaits(error: unknown): void {
    if (Date.now() - this.lastReplayWarning < 10_000) return;
    this.lastReplayWarning = Date.now();
    this.logger.warn(`SSE streams wait for the database to replay: ${String(error)}`);
  }

  private isOpen(connection: Connection): boolean {
    return !!this.groups.get(connection.group)?.has(connection) && writable(connection);
  }

  /** To the readers of the notification's agency and to those who see every agency: two groups, no per-stream filter. */
  private broadcast(item: FeedNotification): void {
    const bytes = frame(item.frame);
    for (const group of [EVERY_AGENCY, item.agencyId]) {
      for (const connection of this.groups.get(group) ?? []) {
        if (connection.waiting) connection.waiting.push({ item, bytes });
        else this.send(connection, item, bytes);
      }
    }
    this.countDeliveries();
  }

  private broadcastBytes(bytes: Frame): void {
    for (const group of this.groups.values())
      for (const connection of group) if (!connection.waiting) this.write(connection, bytes);
  }

  /** False when the client's buffer is full (wait for 'drain' before the next replay batch). */
  private send(connection: Connection, item: FeedNotification, bytes = frame(item.frame)): boolean {
    if (item.seq <= connection.position) return true; // replayed already
    connection.position = item.seq;
    this.deliveries += 1;
    return this.write(connection, bytes);
  }

  /** Into the metric once per event or replay batch, not once per stream (5,000 calls per event). */
  private countDeliveries(): void {
    this.metrics.sseDelivered.inc(this.deliveries);
    this.deliveries = 0;
  }

  private write(connection: Connection, bytes: Frame): boolean {
    const { socket } = connection;
    if (!writable(connection)) {
      this.remove(connection);
      return true;
    }
    if (socket.writableLength > MAX_BACKLOG_BYTES) {
      // Not reading: drop it rather than grow memory; EventSource reconnects and resumes.
      this.remove(connection);
      this.metrics.sseDropped.inc();
      connection.response.destroy();
      return true;
    }
    return socket.write(connection.chunked ? bytes.chunked : bytes.plain);
  }

  /** Ends the stream (Node writes the last chunk); nothing is written to its socket after this. */
  private end(connection: Connection): void {
    connection.ended = true;
    this.remove(connection);
    connection.response.end();
  }

  private add(connection: Connection): void {
    let group = this.groups.get(connection.group);
    if (!group) this.groups.set(connection.group, (group = new Set()));
    group.add(connection);
    this.count += 1;
  }

  private remove(connection: Connection): void {
    const group = this.groups.get(connection.group);
    if (!group?.delete(connection)) return;
    this.count -= 1;
    if (group.size === 0) this.groups.delete(connection.group);
  }
}

function writable({ ended, socket }: Connection): boolean {
  return !ended && !socket.destroyed;
}

/** Resolves when the client has read its buffer, or the stream is gone. */
function drained(connection: Connection): Promise<void> {
  const { socket } = connection;
  if (!writable(connection)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });
}
