/**
 * The processes of a benchmark: the servers under test (forked, talking to the coordinator over
 * IPC), the real API entry point (spawned as a user would start it), and the load generators.
 * Every server and every load generator runs in its own process, so none measures itself.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { freePort } from '../../src/common/free-port.js';
import type { HttpLoad, HttpLoadResult } from '../load/autocannon.js';
import type { FanoutCommand } from '../load/fanout.js';
import type { MemoryReport } from '../servers/child.js';
import { benchDir, projectRoot, resultsDir, sleep } from './common.js';

/** The next IPC message of `type` from `child`; rejects when the child exits first or on timeout. */
export function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
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

/** Stops a child with `signal`, then SIGKILL after 10 s. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

/** A server of bench/servers/ (the API module or a bare baseline) in a forked process. */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** `env` adds settings (the API in token mode: AUTH_JWT_SECRET). */
  static async start(script: string, databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
    const profile =
      process.env.BENCH_CPU_PROF && script === 'api'
        ? [`--cpu-prof`, `--cpu-prof-dir=${join(resultsDir, 'profiles')}`]
        : [];
    const child = fork(join(benchDir, 'servers', `${script}.js`), [], {
      // As npm start runs the API: two malloc arenas (image processing, docs/architecture.md#files-photos-and-documents).
      env: { MALLOC_ARENA_MAX: '2', ...process.env, ...env, DATABASE_URL: databaseUrl },
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

  stop(): Promise<void> {
    // SIGINT: a clean exit, so that --cpu-prof gets written.
    return stopChild(this.child, 'SIGINT');
  }
}

/** Waits until GET /health/ready answers 200, failing if `child` exits first. */
export async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${url}: the process exited (${child.signalCode ?? `code ${child.exitCode}`})`);
    const ready = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}

/**
 * The real API (dist/src/main.js), started as `npm start` starts it, on 127.0.0.1 with its default
 * settings but the rate limits, lifted (load generators write hundreds of times a second from one
 * address). Its log goes to `logFile` (as to a collector: JSON lines, not a terminal) or nowhere.
 */
export async function startApiProcess(
  databaseUrl: string,
  { port, env = {}, logFile }: { port?: number; env?: NodeJS.ProcessEnv; logFile?: string } = {},
): Promise<{ child: ChildProcess; url: string; stop: () => Promise<void> }> {
  const listenPort = port ?? (await freePort());
  if (logFile) mkdirSync(dirname(logFile), { recursive: true });
  const log = logFile ? openSync(logFile, 'a') : 'ignore';
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(resultsDir, 'profiles')}`] : [];
  const child = spawn(process.execPath, [...profile, join(projectRoot, 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      MALLOC_ARENA_MAX: '2',
      DATABASE_URL: databaseUrl,
      PORT: String(listenPort),
      HOST: '127.0.0.1',
      RATE_LIMITS: 'off',
      ...env,
    },
    stdio: ['ignore', log, 'inherit'],
  });
  if (typeof log === 'number') closeSync(log);
  const url = `http://127.0.0.1:${listenPort}`;
  await waitReady(url, child);
  return { child, url, stop: () => stopChild(child, 'SIGINT') };
}

/** Starts the real API with `env` added to its settings (see startApiProcess); the scenario stops it. */
export type ApiStarter = (env?: NodeJS.ProcessEnv) => Promise<{ url: string; stop: () => Promise<void> }>;

/** One autocannon run in a process of its own. */
export function httpLoad(load: HttpLoad): Promise<HttpLoadResult> {
  const child = fork(join(benchDir, 'load', 'autocannon.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send(load);
  return new Promise((resolvePromise, reject) => {
    child.once('message', (result: HttpLoadResult) => resolvePromise(result));
    child.once('exit', (code) => code !== 0 && reject(new Error(`autocannon exited with ${code}`)));
  });
}

/** N SSE streams or WebSockets in a process of their own, timing when one event reaches each. */
export class FanoutClients {
  private readonly child = fork(join(benchDir, 'load', 'fanout.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  async open(kind: 'sse' | 'ws', url: string, count: number): Promise<void> {
    this.send({ type: 'open', kind, url, count });
    await nextMessage(this.child, 'opened', 120_000);
  }

  /** Resolves once armed, with the promise of the arrivals (wrapped: an async function would flatten it). */
  async arm(timeoutMs: number): Promise<{ done: Promise<{ arrivals: number[]; missing: number }> }> {
    const done = nextMessage<{ arrivals: number[]; missing: number }>(this.child, 'arrivals', timeoutMs + 10_000);
    this.send({ type: 'arm', timeoutMs });
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

/** Of several runs of one load, the one with the median requests/s. */
export function medianRun(runs: HttpLoadResult[]): HttpLoadResult {
  return [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(runs.length / 2)];
}

/** An open WebSocket to `url` (a chat sender for the broadcast scenarios). */
export async function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((done, reject) => {
    socket.once('open', done);
    socket.once('error', reject);
  });
  return socket;
}
