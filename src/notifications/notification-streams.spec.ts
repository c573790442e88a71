import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { formatFrame, NotificationStreams, type Frame } from './notification-streams.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** A response whose client reads nothing: writes pile up in its buffer. */
type TestResponse = ServerResponse & PassThrough & { written: string[] };

function stalledResponse(): TestResponse {
  const stream = new PassThrough({ highWaterMark: 16 }) as unknown as TestResponse;
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
    response.resume(); // this client reads
    let replayed = false;
    const { started } = streams.open(response, 3n, {
      startAt: (seq) => Promise.resolve(seq),
      after: () => {
        if (replayed) return Promise.resolve([]);
        replayed = true;
        live.next(formatFrame('5', A, '{"n":5}')); // arrives during the replay: already replayed
        live.next(formatFrame('6', A, '{"n":6}'));
        return Promise.resolve([formatFrame('4', A, '{"n":4}'), formatFrame('5', A, '{"n":5}')]);
      },
    });
    await started;
    live.next(formatFrame('7', A, '{"n":7}'));
    expect(response.written).toEqual([
      'retry: 1000\n\n',
      'id: 3\n\n',
      'id: 4\ndata: {"n":4}\n\n',
      'id: 5\ndata: {"n":5}\n\n',
      'id: 6\ndata: {"n":6}\n\n',
      'id: 7\ndata: {"n":7}\n\n',
    ]);
    streams.close();
  });

  it("writes a frame to its agency's streams and to those that see every agency, not to another agency's", async () => {
    const live = new Subject<Frame>();
    const streams = new NotificationStreams(live, options);
    const none = { startAt: (seq: bigint) => Promise.resolve(seq), after: () => Promise.resolve([]) };
    const [ofA, ofB, all] = [stalledResponse(), stalledResponse(), stalledResponse()];
    for (const response of [ofA, ofB, all]) response.resume();
    await streams.open(ofA, 0n, none, A).started;
    await streams.open(ofB, 0n, none, B).started;
    await streams.open(all, 0n, none).started;
    live.next(formatFrame('1', A, '{"n":1}'));
    live.next(formatFrame('2', B, '{"n":2}'));
    const events = (response: TestResponse) => response.written.filter((chunk) => chunk.includes('data:'));
    expect(events(ofA)).toEqual(['id: 1\ndata: {"n":1}\n\n']);
    expect(events(ofB)).toEqual(['id: 2\ndata: {"n":2}\n\n']);
    expect(events(all)).toEqual(['id: 1\ndata: {"n":1}\n\n', 'id: 2\ndata: {"n":2}\n\n']);
    expect(streams.size).toBe(3);
    streams.close();
  });

  it('drops a client that stops reading once its backlog passes the limit', async () => {
    const live = new Subject<Frame>();
    const streams = new NotificationStreams(live, options);
    const response = stalledResponse();
    await streams.open(response, 0n, { startAt: () => Promise.resolve(0n), after: () => Promise.resolve([]) }).started;
    expect(streams.size).toBe(1);
    for (let id = 1; id <= 100 && !response.destroyed; id++) live.next(formatFrame(String(id), A, 'x'.repeat(200)));
    expect(response.destroyed).toBe(true);
    expect(streams.size).toBe(0);
    expect(response.written.length).toBeLessThan(100);
    streams.close();
  });

  it('waits for a slow reader during a long replay instead of dropping it', async () => {
    const live = new Subject<Frame>();
    const streams = new NotificationStreams(live, options);
    const response = stalledResponse();
    const all = Array.from({ length: 200 }, (_, index) => formatFrame(String(index + 1), A, 'x'.repeat(200)));
    const { started } = streams.open(response, 0n, {
      startAt: (seq) => Promise.resolve(seq),
      after: (seq) => Promise.resolve(all.filter((frame) => frame.seq > seq).slice(0, 50)),
    });
    // 40 KiB of replay against a 4 KiB backlog limit: the client reads slowly, in steps.
    const reader = setInterval(() => response.read(), 1);
    await started;
    clearInterval(reader);
    expect(response.destroyed).toBe(false);
    expect(response.written.filter((chunk) => chunk.includes('data:'))).toHaveLength(200);
    expect(streams.size).toBe(1);
    streams.close();
  });

  it('keeps the client at its place while the database cannot replay, then replays', async () => {
    const live = new Subject<Frame>();
    const streams = new NotificationStreams(live, { ...options, replayRetryMs: 5 });
    const response = stalledResponse();
    response.resume();
    let failures = 3;
    const { started } = streams.open(response, 7n, {
      startAt: (seq) => Promise.resolve(seq),
      after: (seq) => {
        if (failures-- > 0) return Promise.reject(new Error('connect ECONNREFUSED'));
        return Promise.resolve(seq < 8n ? [formatFrame('8', A, '{"n":8}')] : []);
      },
    });
    await started;
    expect(response.written).toEqual(['retry: 1000\n\n', 'id: 7\n\n', 'id: 8\ndata: {"n":8}\n\n']);
    streams.close();
  });

  it('forgets a stream closed while it waits for the database', async () => {
    const live = new Subject<Frame>();
    const streams = new NotificationStreams(live, { ...options, replayRetryMs: 5 });
    const response = stalledResponse();
    response.resume();
    const { close, started } = streams.open(response, 0n, {
      startAt: () => Promise.reject(new Error('Connection terminated unexpectedly')),
      after: () => Promise.resolve([]),
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    close();
    await started;
    expect(streams.size).toBe(0);
    streams.close();
  });

  it('starts a client that claims an id beyond the newest from the newest', async () => {
    const live = new Subject<Frame>();
    const streams = new NotificationStreams(live, options);
    const response = stalledResponse();
    response.resume();
    await streams.open(response, 999999999999n, {
      startAt: (seq) => Promise.resolve(seq > 12n ? 12n : seq),
      after: () => Promise.resolve([]),
    }).started;
    live.next(formatFrame('13', A, '{"n":13}'));
    expect(response.written).toEqual(['retry: 1000\n\n', 'id: 12\n\n', 'id: 13\ndata: {"n":13}\n\n']);
    streams.close();
  });
});
