/**
 * npm run bench:faults: the API (its real entry point, in its own process) under
 * a steady 50 requests/s of mixed reads and booking creations while its
 * PostgreSQL is (1) restarted with a fast shutdown and (2) stopped for 10 s.
 * Prints, per run: the status-code histogram, the error window, the slowest
 * answer, and how many bookings were accepted (201) vs found stored afterwards.
 * Not part of npm test. All traffic stays on 127.0.0.1; every loop is bounded.
 *
 *   FAULTS_RATE=50         requests per second
 *   FAULTS_OUTAGE_S=10     length of the outage run's stop
 */
import type { ChildProcess } from 'node:child_process';
import { BenchDatabase } from './harness/bench-database.js';
import { createCars } from './harness/cars.js';
import { logger, sleep, writeResults } from './harness/common.js';
import { startApiProcess, stopChild } from './harness/processes.js';

const RATE = Number(process.env.FAULTS_RATE ?? 50);
const OUTAGE_S = Number(process.env.FAULTS_OUTAGE_S ?? 10);
const log = logger('faults');

interface Sample {
  sentAt: number;
  ms: number;
  status: number; // 0: no answer (connection error or 10 s timeout)
  retryAfter: boolean;
  bookingId?: string;
}

interface RunReport {
  run: string;
  requests: number;
  statuses: Record<string, number>;
  errorWindowMs: number;
  slowestMs: number;
  slowest503Ms: number;
  unavailableWithoutRetryAfter: number;
  bookingsAccepted: number;
  bookingsStored: number;
}

/** Fires RATE requests a second (without waiting for answers) until `stop()`; round-robin over three kinds. */
function startLoad(url: string, carIds: string[], slotBase: number) {
  const samples: Sample[] = [];
  const pending = new Set<Promise<void>>();
  let n = 0;
  const fire = () => {
    const index = n++;
    const sentAt = Date.now();
    const kind = index % 3;
    const start = new Date(slotBase + index * 3_600_000);
    const init: RequestInit =
      kind === 2
        ? {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              carId: carIds[index % carIds.length],
              startDate: start.toISOString(),
              endDate: new Date(start.getTime() + 3_600_000).toISOString(),
              renter: { name: 'Load Test', email: 'load@example.com' },
            }),
          }
        : {};
    const path = kind === 0 ? '/cars' : kind === 1 ? `/cars?location=nowhere-${index}` : '/bookings';
    const request = fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) })
      .then(async (response) => {
        const body = (await response.json().catch(() => ({}))) as { id?: string };
        samples.push({
          sentAt,
          ms: Date.now() - sentAt,
          status: response.status,
          retryAfter: response.headers.has('retry-after'),
          bookingId: kind === 2 && response.status === 201 ? body.id : undefined,
        });
      })
      .catch(() => {
        samples.push({ sentAt, ms: Date.now() - sentAt, status: 0, retryAfter: false });
      });
    pending.add(request);
    void request.finally(() => pending.delete(request));
  };
  const timer = setInterval(fire, 1000 / RATE);
  return {
    samples,
    async stop(): Promise<Sample[]> {
      clearInterval(timer);
      await Promise.all(pending);
      return samples;
    },
  };
}

async function report(run: string, samples: Sample[], database: BenchDatabase): Promise<RunReport> {
  const statuses: Record<string, number> = {};
  for (const sample of samples)
    statuses[sample.status || 'no answer'] = (statuses[sample.status || 'no answer'] ?? 0) + 1;
  const failed = samples.filter((sample) => sample.status < 200 || sample.status >= 400);
  const accepted = samples.flatMap((sample) => (sample.bookingId ? [sample.bookingId] : []));
  const [stored] = await database.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM bookings WHERE id = ANY($1::uuid[])',
    [accepted],
  );
  const unavailable = samples.filter((sample) => sample.status === 503);
  return {
    run,
    requests: samples.length,
    statuses,
    errorWindowMs: failed.length
      ? Math.max(...failed.map((s) => s.sentAt)) - Math.min(...failed.map((s) => s.sentAt))
      : 0,
    slowestMs: Math.max(...samples.map((sample) => sample.ms)),
    slowest503Ms: unavailable.length ? Math.max(...unavailable.map((sample) => sample.ms)) : 0,
    unavailableWithoutRetryAfter: unavailable.filter((sample) => !sample.retryAfter).length,
    bookingsAccepted: accepted.length,
    bookingsStored: stored.n,
  };
}

async function main(): Promise<void> {
  // Embedded even when DATABASE_URL is set: the benchmark stops and restarts its server.
  const database = await BenchDatabase.create('faults', { embedded: true });
  let api: ChildProcess | undefined;
  try {
    const started = await startApiProcess(database.url);
    api = started.child;
    const carIds = await createCars(started.url, 20);
    const reports: RunReport[] = [];
    const day = 86_400_000;
    const runs: [string, number, () => Promise<void>][] = [
      [
        'restart (fast shutdown, start)',
        day,
        async () => {
          await database.stop();
          await database.start();
        },
      ],
      [
        `outage (stopped ${OUTAGE_S} s)`,
        30 * day,
        async () => {
          await database.stop();
          await sleep(OUTAGE_S * 1000);
          await database.start();
        },
      ],
    ];
    for (const [name, slotBase, fault] of runs) {
      log(`${name}: 3 s of load, the fault, then 5 s more`);
      const load = startLoad(started.url, carIds, Date.now() + slotBase);
      await sleep(3000);
      await fault();
      await sleep(5000);
      reports.push(await report(name, await load.stop(), database));
    }
    print(reports);
    await writeResults('faults', reports);
  } finally {
    if (api) await stopChild(api);
    await database.close();
  }
}

function print(reports: RunReport[]): void {
  console.log(`\nPostgreSQL faults under ${RATE} requests/s (GET /cars cached, GET /cars uncached, POST /bookings)\n`);
  console.log(
    '| run | requests | status codes | error window | slowest answer | slowest 503 | 503 without Retry-After | bookings 201 / stored |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of reports) {
    const codes = Object.entries(r.statuses)
      .map(([code, count]) => `${code}: ${count}`)
      .join(', ');
    console.log(
      `| ${r.run} | ${r.requests} | ${codes} | ${(r.errorWindowMs / 1000).toFixed(1)} s | ${r.slowestMs} ms | ${r.slowest503Ms} ms | ${r.unavailableWithoutRetryAfter} | ${r.bookingsAccepted} / ${r.bookingsStored} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
