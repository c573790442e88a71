import type { ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';

/** A notification as it goes on the wire: formatted and UTF-8 encoded once, written to every stream. */
export interface Frame {
  seq: bigint;
  bytes: Buffer;
}

export function formatFrame(id: string, json: string): Frame {
  return { seq: BigInt(id), bytes: Buffer.from(`id: ${id}\ndata: ${json}\n\n`) };
}

const KEEPALIVE = Buffer.from(': keepalive\n\n');

interface Stream {
  response: ServerResponse;
  /** Until replay is done, live frames wait here. */
  waiting: Frame[] | null;
  position: bigint;
}

export interface StreamOptions {
  keepaliveMs: number;
  retryMs: number;
  /** Bytes a client may leave unread before it is dropped (it reconnects and resumes). */
  maxBacklogBytes: number;
}

/**
 * The open SSE responses of this process. Nest's @Sse() route opens each
 * stream (headers, disconnect, shutdown); notifications then go straight to
 * the sockets: one formatted frame per notification, one write per stream,
 * so a fan-out costs what a bare server's costs. One timer keeps them all alive.
 */
export class NotificationStreams {
  private readonly streams = new Set<Stream>();
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
    return this.streams.size;
  }

  /**
   * Starts a stream once its headers are out: where it stands (`id`) and the
   * `retry` hint, then `replay` (everything after `from`), then live frames.
   */
  async open(response: ServerResponse, from: bigint, replay: (after: bigint) => Promise<Frame[]>): Promise<() => void> {
    const stream: Stream = { response, waiting: [], position: from };
    this.streams.add(stream);
    const close = () => this.streams.delete(stream);
    await headersSent(response);
    this.write(stream, `retry: ${this.options.retryMs}\nid: ${from}\n\n`);
    for (
      let batch = await replay(from);
      batch.length > 0 && this.streams.has(stream);
      batch = await replay(stream.position)
    ) {
      batch.forEach((frame) => this.send(stream, frame));
    }
    const waiting = stream.waiting ?? [];
    stream.waiting = null;
    waiting.forEach((frame) => this.send(stream, frame));
    return close;
  }

  private broadcast(frame: Frame): void {
    for (const stream of this.streams) {
      if (stream.waiting) stream.waiting.push(frame);
      else this.send(stream, frame);
    }
  }

  private broadcastBytes(bytes: Buffer): void {
    for (const stream of this.streams) if (!stream.waiting) this.write(stream, bytes);
  }

  private send(stream: Stream, frame: Frame): void {
    if (frame.seq <= stream.position) return; // replayed already
    stream.position = frame.seq;
    this.write(stream, frame.bytes);
  }

  private write(stream: Stream, chunk: Buffer | string): void {
    const { response } = stream;
    if (response.destroyed || response.writableEnded) {
      this.streams.delete(stream);
      return;
    }
    if (response.writableLength > this.options.maxBacklogBytes) {
      this.streams.delete(stream);
      response.destroy(); // not reading: drop it rather than grow memory; EventSource reconnects and resumes
      return;
    }
    response.write(chunk);
  }
}

/** Nest writes the SSE headers when the stream's first message goes out; wait for that. */
async function headersSent(response: ServerResponse): Promise<void> {
  for (let turn = 0; !response.headersSent; turn++) {
    if (turn > 1000 || response.destroyed) throw new Error('SSE headers were never sent');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
