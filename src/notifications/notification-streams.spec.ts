import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { formatFrame, NotificationStreams, type Frame } from './notification-streams.js';

/** A response whose client reads nothing: writes pile up in its buffer. */
function stalledResponse(): ServerResponse & { written: string[] } {
  const stream = new PassThrough({ highWaterMark: 16 }) as unknown as ServerResponse & { written: string[] };
  const written: string[] = [];
  const write = stream.write.bind(stream);
  Object.assign(stream, { headersSent: true, written });
  stream.write = ((chunk: string | Buffer) => {
    written.push(chunk.toString());
    return write(chunk);
  }) as typeof stream.write;
  return stream;
}

describe('NotificationStreams', () => {
  const options = { keepaliveMs: 60_000, retryMs: 1000, maxBacklogBytes: 4096 };

  it('writes the position, the replay, then live frames, each once and in order', async () => {
    const live = new Subject<Frame>();
    const streams = new NotificationStreams(live, options);
    const response = stalledResponse();
    let replayed = false;
    const opening = streams.open(response, 3n, () => {
      if (replayed) return Promise.resolve([]);
      replayed = true;
      live.next(formatFrame('5', '{"n":5}')); // arrives during the replay: already replayed
      live.next(formatFrame('6', '{"n":6}'));
      return Promise.resolve([formatFrame('4', '{"n":4}'), formatFrame('5', '{"n":5}')]);
    });
    await opening;
    live.next(formatFrame('7', '{"n":7}'));
    expect(response.written).toEqual([
      'retry: 1000\nid: 3\n\n',
      'id: 4\ndata: {"n":4}\n\n',
      'id: 5\ndata: {"n":5}\n\n',
      'id: 6\ndata: {"n":6}\n\n',
      'id: 7\ndata: {"n":7}\n\n',
    ]);
    streams.close();
  });

  it('drops a client that stops reading once its backlog passes the limit', async () => {
    const live = new Subject<Frame>();
    const streams = new NotificationStreams(live, options);
    const response = stalledResponse();
    await streams.open(response, 0n, () => Promise.resolve([]));
    expect(streams.size).toBe(1);
    for (let id = 1; id <= 100 && !response.destroyed; id++) live.next(formatFrame(String(id), 'x'.repeat(200)));
    expect(response.destroyed).toBe(true);
    expect(streams.size).toBe(0);
    expect(response.written.length).toBeLessThan(100);
    streams.close();
  });
});
