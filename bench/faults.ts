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
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../src/common/free-port.js';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { runMigrations } from '../src/database/migrate.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '..', '..');
const RATE = Number(process.env.FAULTS_RATE ?? 50);
const OUTAGE_S = Number(process.env.FAULTS_OUTAGE_S ?? 10);
const log = (message: string) => console.error(`[faults] ${message}`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

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

async function startApi(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { child, url };
    await sleep(100);
  }
  throw new Error('the API did not become ready in 30 s');
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

async function report(run: string, samples: Sample[], databaseUrl: string): Promise<RunReport> {
  const statuses: Record<string, number> = {};
  for (const sample of samples)
    statuses[sample.status || 'no answer'] = (statuses[sample.status || 'no answer'] ?? 0) + 1;
  const failed = samples.filter((sample) => sample.status < 200 || sample.status >= 400);
  const accepted = samples.flatMap((sample) => (sample.bookingId ? [sample.bookingId] : []));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM bookings WHERE id = ANY($1::uuid[])',
    [accepted],
  );
  await client.end();
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
    bookingsStored: rows[0].n,
  };
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'car-rental-faults-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as "postgres" and must enter it
  const options = { dataDir: join(root, 'pgdata'), port: await freePort(), database: 'faults' };
  let database = await EmbeddedPostgres.start(options);
  let api: ChildProcess | undefined;
  try {
    await runMigrations(database.url);
    const started = await startApi(database.url);
    api = started.child;
    const carIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${started.url}/cars`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          make: 'Dacia',
          model: `Duster ${i}`,
          year: 2024,
          type: 'SUV',
          seats: 5,
          fuelType: 'Diesel',
          pricePerDay: 35,
          location: 'Rabat',
        }),
      });
      carIds.push(((await response.json()) as { id: string }).id);
    }
    const reports: RunReport[] = [];
    const day = 86_400_000;
    const runs: [string, number, () => Promise<void>][] = [
      [
        'restart (fast shutdown, start)',
        day,
        async () => {
          await database.stop();
          database = await EmbeddedPostgres.start(options);
        },
      ],
      [
        `outage (stopped ${OUTAGE_S} s)`,
        30 * day,
        async () => {
          await database.stop();
          await sleep(OUTAGE_S * 1000);
          database = await EmbeddedPostgres.start(options);
        },
      ],
    ];
    for (const [name, slotBase, fault] of runs) {
      log(`${name}: 3 s of load, the fault, then 5 s more`);
      const load = startLoad(started.url, carIds, Date.now() + slotBase);
      await sleep(3000);
      await fault();
      await sleep(5000);
      reports.push(await report(name, await load.stop(), database.url));
    }
    print(reports);
    await mkdir(join(projectRoot, 'bench', 'results'), { recursive: true });
    await writeFile(join(projectRoot, 'bench', 'results', 'faults.json'), JSON.stringify(reports, null, 2));
  } finally {
    api?.kill('SIGTERM');
    await sleep(500);
    await database.stop();
    await rm(root, { recursive: true, force: true });
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
