/**
 * npm run bench: the API beside bare baseline servers, on one PostgreSQL, in one run.
 * Prints one table and writes JSON to bench/results/. Every server and every load
 * generator runs in its own process; all traffic stays on 127.0.0.1; every loop is
 * bounded in count and time.
 *
 *   BENCH_SIZES=1000,5000   fan-out sizes (default 1000,5000,10000)
 *   BENCH_SECONDS=10        duration of each GET /cars run
 *   BENCH_TRIALS=5          events per fan-out size (the median trial is reported)
 *   BENCH_ONLY=sse,ws       run only some parts (cars, bookings, sse, ws)
 *   BENCH_CPU_PROF=1        write --cpu-prof profiles of the API processes to bench/results/profiles
 */
import { fork, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import WebSocket from 'ws';
import { freePort } from '../src/common/free-port.js';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { runMigrations } from '../src/database/migrate.js';
import type { HttpLoad, HttpLoadResult } from './load/autocannon.js';
import type { FanoutCommand } from './load/fanout.js';
import type { MemoryReport } from './servers/child.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '..', '..');
const resultsDir = join(projectRoot, 'bench', 'results');
const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FANOUT_TIMEOUT_MS = 60_000;
const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'cars,bookings,sse,ws').split(','));
const now = () => performance.timeOrigin + performance.now();
const log = (message: string) => console.error(`[bench] ${message}`);

// ---------------------------------------------------------------- processes

class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(script: string, databaseUrl: string): Promise<ServerProcess> {
    const profile =
      process.env.BENCH_CPU_PROF && script === 'api'
        ? [`--cpu-prof`, `--cpu-prof-dir=${join(resultsDir, 'profiles')}`]
        : [];
    const child = fork(join(here, 'servers', `${script}.js`), [], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      execArgv: ['--expose-gc', ...profile],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await nextMessage<{ port: number }>(child, 'listening', 30_000);
    return new ServerProcess(child, `http://127.0.0.1:${port.port}`);
  }

  async memory(): Promise<MemoryReport> {
    this.child.send({ type: 'memory' });
    return nextMessage<MemoryReport>(this.child, 'memory', 30_000);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGINT');
    await Promise.race([exited, sleep(10_000).then(() => this.child.kill('SIGKILL'))]);
  }
}

function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no "${type}" from child within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message.type !== type) return;
      done();
      resolvePromise(message as T);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`child exited (${code}) before "${type}"`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function httpLoad(load: HttpLoad): Promise<HttpLoadResult> {
  const child = fork(join(here, 'load', 'autocannon.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send(load);
  return new Promise((resolvePromise, reject) => {
    child.once('message', (result: HttpLoadResult) => resolvePromise(result));
    child.once('exit', (code) => code !== 0 && reject(new Error(`autocannon exited with ${code}`)));
  });
}

class FanoutClients {
  private readonly child = fork(join(here, 'load', 'fanout.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  async open(kind: 'sse' | 'ws', url: string, count: number): Promise<void> {
    this.send({ type: 'open', kind, url, count });
    await nextMessage(this.child, 'opened', 120_000);
  }

  /** Resolves once armed, with the promise of the arrivals (wrapped: an async function would flatten it). */
  async arm(): Promise<{ done: Promise<{ arrivals: number[]; missing: number }> }> {
    const done = nextMessage<{ arrivals: number[]; missing: number }>(
      this.child,
      'arrivals',
      FANOUT_TIMEOUT_MS + 10_000,
    );
    this.send({ type: 'arm', timeoutMs: FANOUT_TIMEOUT_MS });
    await nextMessage(this.child, 'armed', 10_000);
    return { done };
  }

  async close(): Promise<void> {
    this.send({ type: 'close' });
    await nextMessage(this.child, 'closed', 30_000).catch(() => undefined);
  }

  private send(command: FanoutCommand): void {
    this.child.send(command);
  }
}

// ---------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

interface FanoutResult {
  n: number;
  p50: number;
  p99: number;
  max: number;
  missing: number;
  heapPerClient: number;
  rssPerClient: number;
}

/** Opens `n` clients on `server`, fires `trigger` once, measures delivery to every client and memory per client. */
async function fanout(
  server: ServerProcess,
  kind: 'sse' | 'ws',
  path: string,
  n: number,
  trigger: () => Promise<void>,
): Promise<FanoutResult> {
  const clients = new FanoutClients();
  try {
    // Warm-up: the first trigger on a fresh process runs cold code paths (JIT, query building).
    for (let i = 0; i < 3; i++) await trigger();
    const before = await server.memory();
    await clients.open(kind, server.url.replace(kind === 'ws' ? /^http/ : /^$/, kind === 'ws' ? 'ws' : '') + path, n);
    await sleep(500);
    const after = await server.memory();
    // Several events per run; the trial with the median p99 is reported (one event is a noisy sample).
    const trials: { p50: number; p99: number; max: number; missing: number }[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const pending = await clients.arm();
      const start = now();
      await trigger();
      const { arrivals, missing } = await pending.done;
      const latencies = arrivals.map((time) => time - start).sort((a, b) => a - b);
      trials.push({
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: latencies[latencies.length - 1] ?? NaN,
        missing,
      });
      await sleep(200);
    }
    trials.sort((a, b) => a.p99 - b.p99);
    return {
      n,
      ...trials[Math.floor(trials.length / 2)],
      missing: Math.max(...trials.map((trial) => trial.missing)),
      heapPerClient: (after.heapUsed - before.heapUsed) / n,
      rssPerClient: (after.rss - before.rss) / n,
    };
  } finally {
    await clients.close();
  }
}

async function openSender(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url.replace(/^http/, 'ws') + '/ws/chat', { perMessageDeflate: false });
  await new Promise((done, reject) => {
    socket.once('open', done);
    socket.once('error', reject);
  });
  return socket;
}

// ---------------------------------------------------------------- the run

async function openDatabase(): Promise<{ url: string; close: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    // A database of its own on that server, dropped at the end: the bench never touches real data.
    const name = `car_rental_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      close: async () => {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const root = await mkdtemp(join(tmpdir(), 'car-rental-bench-'));
  await chmod(root, 0o755);
  const server = await EmbeddedPostgres.start({
    dataDir: join(root, 'pgdata'),
    port: await freePort(),
    database: 'bench',
    log,
  });
  return {
    url: server.url,
    close: async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  const database = await openDatabase();
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, sizes: SIZES };
  try {
    await runMigrations(database.url);

    // 1. GET /cars with 100 cars
    log('GET /cars: seeding 100 cars');
    const api = await ServerProcess.start('api', database.url);
    const carIds: string[] = [];
    for (let i = 0; i < 100; i++) {
      const response = await post(`${api.url}/cars`, {
        make: ['Toyota', 'Dacia', 'Renault', 'Peugeot'][i % 4],
        model: `Model ${i}`,
        year: 2020 + (i % 5),
        type: ['SUV', 'Sedan', 'City'][i % 3],
        seats: 5,
        fuelType: 'Petrol',
        pricePerDay: 30 + i,
        location: ['Casablanca', 'Rabat', 'Marrakech'][i % 3],
        description: 'A reliable car for city and highway, recently serviced.',
        features: ['Bluetooth', 'Air conditioning', 'GPS'],
        images: ['/placeholder.svg?height=200&width=300'],
      });
      carIds.push(((await response.json()) as { id: string }).id);
    }
    if (ONLY.has('cars')) {
      const bare = await ServerProcess.start('bare-http', database.url);
      log(`GET /cars: warm-up, then ${SECONDS}s each with 50 connections`);
      await httpLoad({ url: `${api.url}/cars`, connections: 10, durationSeconds: 2 });
      await httpLoad({ url: `${bare.url}/cars`, connections: 10, durationSeconds: 2 });
      const carsBare = await httpLoad({ url: `${bare.url}/cars`, connections: 50, durationSeconds: SECONDS });
      const carsApi = await httpLoad({ url: `${api.url}/cars`, connections: 50, durationSeconds: SECONDS });
      await bare.stop();
      results.getCars = { api: carsApi, bare: carsBare, ratio: carsApi.requestsPerSecond / carsBare.requestsPerSecond };
    }

    // 2. POST /bookings
    if (ONLY.has('bookings')) await benchBookings(api.url, carIds, results);
    await api.stop();

    // 3. SSE fan-out
    if (ONLY.has('sse')) results.sse = await benchSse(database.url, carIds);

    // 4. WebSocket broadcast
    if (ONLY.has('ws')) results.ws = await benchWs(database.url);
  } finally {
    await database.close();
  }

  const file = join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(results, null, 2));
  printTable(results);
  console.log(`\nJSON: ${file}`);
}

async function benchBookings(apiUrl: string, carIds: string[], results: Record<string, unknown>): Promise<void> {
  log('POST /bookings: 2000 requests on distinct cars, 50 concurrent clients');
  const bookings = await httpLoad({ url: apiUrl, connections: 50, amount: 2000, bookingCars: carIds });
  const contested = carIds[0];
  const slot = { startDate: '2029-06-01T10:00:00.000Z', endDate: '2029-06-03T10:00:00.000Z' };
  const oneSlot = await Promise.all(
    Array.from({ length: 40 }, () =>
      post(`${apiUrl}/bookings`, {
        carId: contested,
        ...slot,
        renter: { name: 'Race', email: 'race@example.com' },
      }).then((r) => r.status),
    ),
  );
  results.postBookings = {
    ...bookings,
    oneSlot: {
      created: oneSlot.filter((s) => s === 201).length,
      conflicts: oneSlot.filter((s) => s === 409).length,
      total: 40,
    },
  };
}

async function benchSse(databaseUrl: string, carIds: string[]): Promise<Record<string, unknown>[]> {
  const sampleNotification = JSON.stringify({
    id: '1',
    type: 'REVIEW',
    title: 'New Review',
    message: `New 5-star review for car ${carIds[1]}`,
    isRead: false,
    createdAt: new Date().toISOString(),
    data: {
      review: {
        id: carIds[2],
        carId: carIds[1],
        renterId: 'renter-1',
        renterName: 'Bench',
        rating: 5,
        comment: 'Great',
        createdAt: new Date().toISOString(),
      },
    },
  });
  const sse: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    log(`SSE fan-out to ${n}: bare server`);
    const bareSse = await ServerProcess.start('bare-sse', databaseUrl);
    const bareResult = await fanout(bareSse, 'sse', '/sse', n, async () => {
      await fetch(`${bareSse.url}/publish`, { method: 'POST', body: sampleNotification });
    });
    await bareSse.stop();
    log(`SSE fan-out to ${n}: API`);
    const api = await ServerProcess.start('api', databaseUrl);
    const apiResult = await fanout(api, 'sse', '/notifications/sse', n, async () => {
      await post(`${api.url}/reviews`, {
        carId: carIds[1],
        renterId: 'renter-1',
        renterName: 'Bench',
        rating: 5,
        comment: 'Great',
      });
    });
    await api.stop();
    sse.push({
      n,
      api: apiResult,
      bare: bareResult,
      p99Ratio: apiResult.p99 / bareResult.p99,
      heapRatio: apiResult.heapPerClient / bareResult.heapPerClient,
      rssRatio: apiResult.rssPerClient / bareResult.rssPerClient,
    });
  }
  return sse;
}

async function benchWs(databaseUrl: string): Promise<Record<string, unknown>[]> {
  const ws: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    for (const kind of ['bare-ws', 'api'] as const) {
      log(`WebSocket broadcast to ${n}: ${kind === 'api' ? 'API' : 'bare server'}`);
      const server = await ServerProcess.start(kind, databaseUrl);
      const sender = await openSender(server.url);
      let sent = 0;
      const result = await fanout(server, 'ws', '/ws/chat', n, () => {
        sender.send(
          JSON.stringify({
            id: `bench-${kind}-${n}-${++sent}`,
            sender: 'admin',
            content: 'Broadcast to everyone',
            timestamp: new Date().toISOString(),
          }),
        );
        return Promise.resolve();
      });
      sender.terminate();
      await server.stop();
      if (kind === 'bare-ws') ws.push({ n, bare: result });
      else Object.assign(ws[ws.length - 1], { api: result });
    }
    const row = ws[ws.length - 1] as { api: FanoutResult; bare: FanoutResult };
    Object.assign(row, {
      p99Ratio: row.api.p99 / row.bare.p99,
      heapRatio: row.api.heapPerClient / row.bare.heapPerClient,
      rssRatio: row.api.rssPerClient / row.bare.rssPerClient,
    });
  }
  return ws;
}

// ---------------------------------------------------------------- report

function printTable(results: Record<string, unknown>): void {
  const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
  const kib = (bytes: number) => `${f(bytes / 1024)} KiB`;
  const lines: string[][] = [['benchmark', 'API', 'bare', 'ratio (API/bare)', 'target']];
  const cars = results.getCars as { api: HttpLoadResult; bare: HttpLoadResult; ratio: number } | undefined;
  if (cars) {
    lines.push([
      'GET /cars (100 cars, 50 conn) req/s',
      f(cars.api.requestsPerSecond, 0),
      f(cars.bare.requestsPerSecond, 0),
      f(cars.ratio, 2),
      '>= 1.00',
    ]);
    lines.push([
      'GET /cars p50 / p99 ms',
      `${cars.api.latencyP50} / ${cars.api.latencyP99}`,
      `${cars.bare.latencyP50} / ${cars.bare.latencyP99}`,
      '',
      '',
    ]);
  }
  const b = results.postBookings as (HttpLoadResult & { oneSlot: { created: number; conflicts: number } }) | undefined;
  if (b) {
    lines.push(['POST /bookings (50 conc., distinct cars) req/s', f(b.requestsPerSecond, 0), '', '', 'no errors']);
    lines.push([
      'POST /bookings p50 / p99 ms; errors; non-2xx',
      `${b.latencyP50} / ${b.latencyP99}; ${b.errors}; ${b.non2xx}`,
      '',
      '',
      '',
    ]);
    lines.push([
      '40 simultaneous requests for one slot',
      `${b.oneSlot.created} x 201, ${b.oneSlot.conflicts} x 409`,
      '',
      '',
      '1 x 201',
    ]);
  }
  for (const [label, rows] of [
    ['SSE', results.sse],
    ['WebSocket', results.ws],
  ] as const) {
    for (const row of (rows ?? []) as {
      n: number;
      api: FanoutResult;
      bare: FanoutResult;
      p99Ratio: number;
      heapRatio: number;
      rssRatio: number;
    }[]) {
      const target = row.n === 5000;
      lines.push([
        `${label} fan-out to ${row.n}: p50 / p99 / max ms`,
        `${f(row.api.p50)} / ${f(row.api.p99)} / ${f(row.api.max)}`,
        `${f(row.bare.p50)} / ${f(row.bare.p99)} / ${f(row.bare.max)}`,
        f(row.p99Ratio, 2),
        target ? '<= 1.25' : '',
      ]);
      lines.push([
        `${label} ${row.n}: heap / RSS per client`,
        `${kib(row.api.heapPerClient)} / ${kib(row.api.rssPerClient)}`,
        `${kib(row.bare.heapPerClient)} / ${kib(row.bare.rssPerClient)}`,
        `${f(row.heapRatio, 2)} / ${f(row.rssRatio, 2)}`,
        target ? '<= 2.00' : '',
      ]);
      if (row.api.missing || row.bare.missing)
        lines.push([
          `${label} ${row.n}: clients that got nothing`,
          String(row.api.missing),
          String(row.bare.missing),
          '',
          '0',
        ]);
    }
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  console.log('');
  for (const [index, line] of lines.entries()) {
    console.log(line.map((cell, column) => cell.padEnd(widths[column])).join('  '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
