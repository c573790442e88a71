import type { ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';

/** A notification as it goes on the wire: formatted and UTF-8 encoded once, written to every stream. */
export interface Frame {
  seq: bigint;
  /** The agency it concerns: it goes to that agency's streams and to those that see every agency. */
  agencyId: string;
  bytes: Buffer;
}

export function formatFrame(id: string, agencyId: string, json: string): Frame {
  return { seq: BigInt(id), agencyId, bytes: Buffer.from(`id: ${id}\ndata: ${json}\n\n`) };
}

/** The group of the streams that see every agency's notifications (the admin, open mode). */
const EVERY_AGENCY = '*';

const KEEPALIVE = Buffer.from(': keepalive\n\n');

/** Where a stream's notifications come from before it joins the live feed. */
export interface ReplaySource {
  /** The next batch after `seq`, oldest first; empty when caught up. */
  after(seq: bigint): Promise<Frame[]>;
  /** Where a client that claims to stand at `seq` really starts: `seq`, or the newest stored id if that is older. */
  startAt(seq: bigint): Promise<bigint>;
}

interface Stream {
  response: ServerResponse;
  /** Its reader's agency, or EVERY_AGENCY. */
  group: string;
  /** Until replay is done, live frames wait here. */
  waiting: Frame[] | null;
  position: bigint;
}

export interface StreamOptions {
  keepaliveMs: number;
  retryMs: number;
  /** Bytes a client may leave unread before it is dropped (it reconnects and resumes). */
  maxBacklogBytes: number;
  /** Wait between attempts while the database cannot replay (an outage): the client keeps its place. */
  replayRetryMs?: number;
  onReplayError?: (error: unknown) => void;
  /** Counts events written to streams (metrics). */
  onDelivered?: (count: number) => void;
  /** Counts clients dropped for not reading (metrics). */
  onDropped?: () => void;
}

/**
 * The open SSE responses of this process. Nest's @Sse() route opens each
 * stream (headers, disconnect, shutdown); notifications then go straight to
 * the sockets: one formatted frame per notification, one write per stream,
 * so a fan-out costs what a bare server's costs. One timer keeps them all alive.
 */
export class NotificationStreams {
  /** Open streams grouped by the agency they may see: a frame is written to two groups, never filtered per stream. */
  private readonly groups = new Map<string, Set<Stream>>();
  private count = 0;
  private readonly keepalive: NodeJS.Timeout;

  constructor(
    live: Observable<Frame>,
    private readonly options: StreamOptions,
  ) {
    live.subscribe((frame) => this.broadcast(frame));
    this.keepalive = setInterval(() => this.broadcastBytes(KEEPALIVE), options.keepaliveMs);
    this.keepalive.unref();
  }

  close(): void {
    clearInterval(this.keepalive);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Registers a stream and starts it once its headers are out: the `retry` hint,
   * where it stands (`id`), the replay of everything after `from`, then live
   * frames. Returns `close`, which forgets the stream whatever state it is in.
   * The returned promise settles when the replay is done (or the stream ended).
   */
  open(
    response: ServerResponse,
    from: bigint,
    source: ReplaySource,
    agencyId?: string,
  ): { close: () => void; started: Promise<void> } {
    const stream: Stream = { response, group: agencyId ?? EVERY_AGENCY, waiting: [], position: from };
    this.add(stream);
    const close = () => {
      this.remove(stream);
    };
    const started = this.start(stream, source).catch(() => {
      close();
      if (!response.destroyed) response.destroy();
    });
    return { close, started };
  }

  private async start(stream: Stream, source: ReplaySource): Promise<void> {
    await headersSent(stream.response);
    this.write(stream, `retry: ${this.options.retryMs}\n\n`);
    // A client that remembers an id from before a database reset stands beyond everything stored:
    // it restarts from the newest, or it would never see anything until the ids caught up.
    const start = await this.retrying(stream, () => source.startAt(stream.position));
    if (start === undefined) return;
    stream.position = start;
    this.write(stream, `id: ${stream.position}\n\n`);

    for (;;) {
      const batch = await this.retrying(stream, () => source.after(stream.position));
      if (batch === undefined) return;
      if (batch.length === 0) break;
      for (const frame of batch) {
        this.options.onDelivered?.(1);
        if (!this.send(stream, frame)) await drained(stream.response); // backpressure: a replay never floods
        if (!this.isOpen(stream)) return;
      }
    }
    const waiting = stream.waiting ?? [];
    stream.waiting = null;
    const fresh = waiting.filter((frame) => frame.seq > stream.position); // in id order: not replayed yet
    fresh.forEach((frame) => this.send(stream, frame));
    if (fresh.length > 0) this.options.onDelivered?.(fresh.length);
  }

  /** Runs `load` until it succeeds (the database may be down); undefined once the stream is gone. */
  private async retrying<T>(stream: Stream, load: () => Promise<T>): Promise<T | undefined> {
    for (let delay = this.options.replayRetryMs ?? 1000; this.isOpen(stream);) {
      try {
        return await load();
      } catch (error) {
        this.options.onReplayError?.(error);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, 5000);
      }
    }
    return undefined;
  }

  private isOpen(stream: Stream): boolean {
    return !!this.groups.get(stream.group)?.has(stream) && !stream.response.destroyed && !stream.response.writableEnded;
  }

  private broadcast(frame: Frame): void {
    let written = 0;
    for (const stream of this.readersOf(frame.agencyId)) {
      if (stream.waiting) stream.waiting.push(frame);
      else if (frame.seq > stream.position) {
        this.send(stream, frame);
        written += 1;
      }
    }
    if (written > 0) this.options.onDelivered?.(written);
  }

  private broadcastBytes(bytes: Buffer): void {
    for (const group of this.groups.values())
      for (const stream of group) if (!stream.waiting) this.write(stream, bytes);
  }

  private *readersOf(agencyId: string): Iterable<Stream> {
    yield* this.groups.get(EVERY_AGENCY) ?? [];
    yield* this.groups.get(agencyId) ?? [];
  }

  private add(stream: Stream): void {
    let group = this.groups.get(stream.group);
    if (!group) this.groups.set(stream.group, (group = new Set()));
    group.add(stream);
    this.count += 1;
  }

  private remove(stream: Stream): void {
    const group = this.groups.get(stream.group);
    if (!group?.delete(stream)) return;
    this.count -= 1;
    if (group.size === 0) this.groups.delete(stream.group);
  }

  /** False when the client's buffer is full (wait for 'drain' before the next replay batch). */
  private send(stream: Stream, frame: Frame): boolean {
    if (frame.seq <= stream.position) return true; // replayed already
    stream.position = frame.seq;
    return this.write(stream, frame.bytes);
  }

  private write(stream: Stream, chunk: Buffer | string): boolean {
    const { response } = stream;
    if (response.destroyed || response.writableEnded) {
      this.remove(stream);
      return true;
    }
    if (response.writableLength > this.options.maxBacklogBytes) {
      this.remove(stream);
      this.options.onDropped?.();
      response.destroy(); // not reading: drop it rather than grow memory; EventSource reconnects and resumes
      return true;
    }
    return response.write(chunk);
  }
}

/** Nest writes the SSE headers when the stream's first message goes out; wait for that. */
async function headersSent(response: ServerResponse): Promise<void> {
  for (let turn = 0; !response.headersSent; turn++) {
    if (turn > 1000 || response.destroyed) throw new Error('SSE headers were never sent');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resolves when the client has read its buffer, or the stream is gone. */
function drained(response: ServerResponse): Promise<void> {
  if (response.destroyed || response.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}
