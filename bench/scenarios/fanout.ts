/**
 * Fan-out measurement shared by the SSE and WebSocket scenarios: open N clients on a server, fire
 * one event several times, time its arrival at every client and measure the server's memory per client.
 */
import { fixed, kib, now, percentile, sleep } from '../harness/common.js';
import { FanoutClients, type ServerProcess } from '../harness/processes.js';

const FANOUT_TIMEOUT_MS = 60_000;

export interface FanoutResult {
  n: number;
  p50: number;
  p99: number;
  max: number;
  missing: number;
  heapPerClient: number;
  rssPerClient: number;
}

export interface FanoutRow {
  n: number;
  api: FanoutResult;
  bare: FanoutResult;
  /** SSE only: a bare NestJS app's @Sse() route, the framework's floor. */
  nest?: FanoutResult;
  p99Ratio: number;
  heapRatio: number;
  rssRatio: number;
}

export async function measureFanout(
  server: ServerProcess,
  kind: 'sse' | 'ws',
  path: string,
  n: number,
  trials: number,
  trigger: () => Promise<void>,
): Promise<FanoutResult> {
  const clients = new FanoutClients();
  try {
    // Warm-up: the first trigger on a fresh process runs cold code paths (JIT, query building).
    for (let i = 0; i < 3; i++) await trigger();
    const before = await server.memory();
    await clients.open(kind, (kind === 'ws' ? server.url.replace(/^http/, 'ws') : server.url) + path, n);
    await sleep(500);
    const after = await server.memory();
    // Several events per run; the trial with the median p99 is reported (one event is a noisy sample).
    const results: Omit<FanoutResult, 'n' | 'heapPerClient' | 'rssPerClient'>[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const pending = await clients.arm(FANOUT_TIMEOUT_MS);
      const start = now();
      await trigger();
      const { arrivals, missing } = await pending.done;
      const latencies = arrivals.map((time) => time - start).sort((a, b) => a - b);
      results.push({
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: latencies[latencies.length - 1] ?? NaN,
        missing,
      });
      await sleep(200);
    }
    results.sort((a, b) => a.p99 - b.p99);
    return {
      n,
      ...results[Math.floor(results.length / 2)],
      missing: Math.max(...results.map((result) => result.missing)),
      heapPerClient: (after.heapUsed - before.heapUsed) / n,
      rssPerClient: (after.rss - before.rss) / n,
    };
  } finally {
    await clients.close();
  }
}

export function compare(n: number, api: FanoutResult, bare: FanoutResult, nest?: FanoutResult): FanoutRow {
  return {
    n,
    api,
    bare,
    nest,
    p99Ratio: api.p99 / bare.p99,
    heapRatio: api.heapPerClient / bare.heapPerClient,
    rssRatio: api.rssPerClient / bare.rssPerClient,
  };
}

export function fanoutRows(label: string, rows: FanoutRow[]): string[][] {
  return rows.flatMap((row) => {
    const target = row.n === 5000 || row.n === 10000;
    const lines = [
      [
        `${label} fan-out to ${row.n}: p50 / p99 / max ms`,
        `${fixed(row.api.p50)} / ${fixed(row.api.p99)} / ${fixed(row.api.max)}`,
        `${fixed(row.bare.p50)} / ${fixed(row.bare.p99)} / ${fixed(row.bare.max)}`,
        fixed(row.p99Ratio, 2),
        target && !row.nest ? '<= 1.25' : '',
      ],
      ...(row.nest
        ? [
            [
              `${label} fan-out to ${row.n}: p50 / p99 / max ms, bare NestJS @Sse()`,
              `${fixed(row.api.p50)} / ${fixed(row.api.p99)} / ${fixed(row.api.max)}`,
              `${fixed(row.nest.p50)} / ${fixed(row.nest.p99)} / ${fixed(row.nest.max)}`,
              fixed(row.api.p99 / row.nest.p99, 2),
              target ? '<= 1.25' : '',
            ],
            [
              `${label} ${row.n}: heap per client, bare NestJS @Sse()`,
              kib(row.api.heapPerClient),
              kib(row.nest.heapPerClient),
              fixed(row.api.heapPerClient / row.nest.heapPerClient, 2),
              target ? '<= 1.25' : '',
            ],
          ]
        : []),
      [
        `${label} ${row.n}: heap / RSS per client`,
        `${kib(row.api.heapPerClient)} / ${kib(row.api.rssPerClient)}`,
        `${kib(row.bare.heapPerClient)} / ${kib(row.bare.rssPerClient)}`,
        `${fixed(row.heapRatio, 2)} / ${fixed(row.rssRatio, 2)}`,
        target ? '<= 2.00' : '',
      ],
    ];
    if (row.api.missing || row.bare.missing)
      lines.push([
        `${label} ${row.n}: clients that got nothing`,
        String(row.api.missing),
        String(row.bare.missing),
        '',
        '0',
      ]);
    return lines;
  });
}
