/**
 * npm run bench:cluster: the API as a fleet. Three API processes behind HAProxy (deploy/haproxy.cfg,
 * ports 3000-3003) on one PostgreSQL; through the balancer, thousands of SSE streams and chat sockets;
 * a burst of reviews (each one a notification for every stream) and chat messages (each one a frame
 * for every socket); one node killed with SIGKILL in the middle of the burst. Reports deliveries
 * expected vs received per client, the time until every client is back, the answers the balancer
 * gave, and GET /cars requests/s through the balancer with 3 nodes and with 1. Needs HAProxy
 * (apt-get install -y haproxy); not part of npm test.
 *
 *   CLUSTER_BENCH_CLIENTS=3000   SSE streams, and as many chat sockets
 *   CLUSTER_BENCH_EVENTS=100     reviews, and as many chat messages
 *   CLUSTER_BENCH_RATE=5         reviews (and chat messages) per second during the burst
 *   CLUSTER_BENCH_SECONDS=10     duration of each GET /cars run
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Cluster } from '../deploy/cluster-runner.js';
import { BenchDatabase } from './harness/bench-database.js';
import { createCars } from './harness/cars.js';
import { benchDir, fixed, logger, postJson, printTable, sleep, timestamp, writeResults } from './harness/common.js';
import { httpLoad, nextMessage } from './harness/processes.js';
import type { HttpLoadResult } from './load/autocannon.js';
import type { ClusterClientsCommand, ClusterClientsReport } from './load/cluster-clients.js';

const CLIENTS = Number(process.env.CLUSTER_BENCH_CLIENTS ?? 3000);
const EVENTS = Number(process.env.CLUSTER_BENCH_EVENTS ?? 100);
const RATE = Number(process.env.CLUSTER_BENCH_RATE ?? 5);
const SECONDS = Number(process.env.CLUSTER_BENCH_SECONDS ?? 10);
const VICTIM = 'api2';
const log = logger('bench:cluster');

class ClusterClients {
  private readonly child: ChildProcess = fork(join(benchDir, 'load', 'cluster-clients.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  async open(kind: 'sse' | 'ws', baseUrl: string, count: number): Promise<void> {
    this.send({ type: 'open', kind, baseUrl, count });
    await nextMessage(this.child, 'opened', 180_000);
  }

  async expect(ids: string[], timeoutMs: number): Promise<ClusterClientsReport> {
    this.send({ type: 'expect', ids, timeoutMs });
    return nextMessage<ClusterClientsReport>(this.child, 'report', timeoutMs + 30_000);
  }

  async close(): Promise<void> {
    this.send({ type: 'close' });
    await nextMessage(this.child, 'closed', 30_000).catch(() => undefined);
  }

  private send(command: ClusterClientsCommand): void {
    this.child.send(command);
  }
}

/** Open streams and sockets per node, from each node's own /metrics. */
async function spread(cluster: Cluster): Promise<Record<string, { sse: number; ws: number }>> {
  const result: Record<string, { sse: number; ws: number }> = {};
  for (const node of cluster.nodes) {
    const text = await fetch(`${node.url}/metrics`).then(
      (response) => response.text(),
      () => '',
    );
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    result[node.name] = { sse: gauge('sse_open_streams'), ws: gauge('chat_open_sockets') };
  }
  return result;
}

/** A chat sender through the balancer that reconnects when its node dies; frames sent while it is down are skipped. */
class ChatSender {
  private socket!: WebSocket;
  private closed = false;
  sent = 0;
  skipped = 0;

  constructor(private readonly url: string) {
    this.connect();
  }

  private connect(): void {
    this.socket = new WebSocket(this.url, { perMessageDeflate: false });
    this.socket.on('error', () => undefined);
    this.socket.once('close', () => {
      if (!this.closed) setTimeout(() => this.connect(), 200);
    });
  }

  async ready(): Promise<void> {
    while (this.socket.readyState !== WebSocket.OPEN) await sleep(50);
  }

  send(id: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) {
      this.skipped += 1;
      return;
    }
    this.sent += 1;
    this.socket.send(
      JSON.stringify({ id, sender: 'admin', content: `Burst message ${id}`, timestamp: new Date().toISOString() }),
    );
  }

  close(): void {
    this.closed = true;
    this.socket.terminate();
  }
}

interface BurstResult {
  reviews: Record<string, number>;
  inFlightAtKill: number;
  chat: { sent: number; skipped: number };
  killedAtMs: number;
  durationMs: number;
}

/** EVENTS reviews and EVENTS chat messages at RATE a second; VICTIM gets SIGKILL half-way. */
async function burst(cluster: Cluster, carIds: string[], runId: string): Promise<BurstResult> {
  const senders = Array.from({ length: 3 }, () => new ChatSender(`${cluster.url.replace(/^http/, 'ws')}/ws/chat`));
  await Promise.all(senders.map((sender) => sender.ready()));
  const requests: { sentAt: number; answeredAt: number; status: string }[] = [];
  const pending: Promise<void>[] = [];
  let killedAt = 0;
  let killing: Promise<number> = Promise.resolve(0);
  const started = Date.now();
  for (let tick = 0; tick < EVENTS; tick++) {
    if (tick === Math.floor(EVENTS / 2)) {
      log(`SIGKILL ${VICTIM}`);
      killedAt = Date.now();
      killing = cluster.kill(VICTIM, 'SIGKILL').then(() => Date.now());
    }
    const sentAt = Date.now();
    const request = postJson(`${cluster.url}/reviews`, {
      carId: carIds[tick % carIds.length],
      renterId: `renter-${tick}`,
      renterName: 'Burst Renter',
      rating: 1 + (tick % 5),
      comment: `Review ${tick} of the burst`,
    })
      .then(async (response) => {
        await response.arrayBuffer();
        return String(response.status);
      })
      .catch((error: Error & { cause?: { code?: string } }) => `no answer (${error.cause?.code ?? error.message})`)
      .then((status) => {
        requests.push({ sentAt, answeredAt: Date.now(), status });
      });
    pending.push(request);
    senders[tick % senders.length].send(`${runId}-${tick}`);
    await sleep(1000 / RATE);
  }
  await Promise.all(pending);
  const exitedAt = await killing;
  const reviews: Record<string, number> = {};
  for (const { status } of requests) reviews[status] = (reviews[status] ?? 0) + 1;
  const chat = {
    sent: senders.reduce((sum, sender) => sum + sender.sent, 0),
    skipped: senders.reduce((sum, sender) => sum + sender.skipped, 0),
  };
  await sleep(500); // the last frames reach the server before the senders go
  senders.forEach((sender) => sender.close());
  return {
    reviews,
    // Sent before the node was seen gone and not answered before the kill: the requests that may
    // have been on the killed node when it died (an upper bound: some were on the others).
    inFlightAtKill: requests.filter((r) => r.sentAt <= exitedAt && r.answeredAt >= killedAt).length,
    chat,
    killedAtMs: killedAt - started,
    durationMs: Date.now() - started,
  };
}

async function main(): Promise<void> {
  await Cluster.preflight();
  const database = await BenchDatabase.create('cluster');
  let cluster: Cluster | null = null;
  const results: Record<string, unknown> = { date: new Date().toISOString(), clients: CLIENTS, events: EVENTS };
  try {
    log('Starting three API nodes and HAProxy');
    cluster = await Cluster.start({
      databaseUrl: database.url,
      nodeEnv: { RATE_LIMITS: 'off', LOG_LEVEL: 'warn' },
      print: (line) => console.error(line),
      onUnexpectedExit: (name, how) => log(`${name} exited unexpectedly (${how})`),
    });
    const carIds = await createCars(cluster.url, 10);

    log(`GET /cars through the balancer, 3 nodes: ${SECONDS} s with 50 connections`);
    await httpLoad({ url: `${cluster.url}/cars`, connections: 10, durationSeconds: 2 });
    const cars3 = await httpLoad({ url: `${cluster.url}/cars`, connections: 50, durationSeconds: SECONDS });

    log(`Opening ${CLIENTS} SSE streams and ${CLIENTS} chat sockets through the balancer`);
    const sse = new ClusterClients();
    const ws = new ClusterClients();
    await sse.open('sse', cluster.url, CLIENTS);
    await ws.open('ws', cluster.url, CLIENTS);
    await sleep(1000);
    const before = await spread(cluster);
    log(`Spread over the nodes: ${JSON.stringify(before)}`);

    const [{ newest }] = await database.query<{ newest: string }>(
      'SELECT coalesce(max(id), 0)::text AS newest FROM notifications',
    );
    const runId = `burst-${Date.now()}`;
    log(`Burst: ${EVENTS} reviews and ${EVENTS} chat messages at ${RATE}/s; ${VICTIM} is killed half-way`);
    const burstResult = await burst(cluster, carIds, runId);

    const notificationIds = (
      await database.query<{ id: string }>('SELECT id::text AS id FROM notifications WHERE id > $1 ORDER BY id', [
        newest,
      ])
    ).map((row) => row.id);
    const chatIds = (
      await database.query<{ id: string }>('SELECT id FROM chat_messages WHERE client_id LIKE $1', [`${runId}-%`])
    ).map((row) => row.id);
    log(`Stored: ${notificationIds.length} notifications, ${chatIds.length} chat messages; waiting for every client`);
    const [sseReport, wsReport] = await Promise.all([
      sse.expect(notificationIds, 120_000),
      ws.expect(chatIds, 120_000),
    ]);
    const after = await spread(cluster);
    await sse.close();
    await ws.close();

    log('Stopping api3 (SIGTERM): one node left');
    await cluster.kill('api3', 'SIGTERM');
    await sleep(5000); // HAProxy's checks (inter 1 s, fall 3) take the stopped node out
    log(`GET /cars through the balancer, 1 node: ${SECONDS} s with 50 connections`);
    await httpLoad({ url: `${cluster.url}/cars`, connections: 10, durationSeconds: 2 });
    const cars1 = await httpLoad({ url: `${cluster.url}/cars`, connections: 50, durationSeconds: SECONDS });

    Object.assign(results, {
      spreadBefore: before,
      spreadAfter: after,
      burst: burstResult,
      stored: { notifications: notificationIds.length, chat: chatIds.length },
      sse: sseReport,
      ws: wsReport,
      getCars: { threeNodes: cars3, oneNode: cars1 },
    });
    print(results as unknown as Report);
  } finally {
    await cluster?.stop();
    await database.close();
  }
  console.log(`\nJSON: ${await writeResults(`cluster-${timestamp()}`, results)}`);
}

interface Report {
  spreadBefore: Record<string, { sse: number; ws: number }>;
  burst: BurstResult;
  stored: { notifications: number; chat: number };
  sse: ClusterClientsReport;
  ws: ClusterClientsReport;
  getCars: { threeNodes: HttpLoadResult; oneNode: HttpLoadResult };
}

function print(r: Report): void {
  const spread = Object.entries(r.spreadBefore)
    .map(([name, open]) => `${name} ${open.sse}/${open.ws}`)
    .join(', ');
  const fiveHundreds = Object.entries(r.burst.reviews)
    .filter(([status]) => status.startsWith('5') || status.startsWith('no answer'))
    .reduce((sum, [, count]) => sum + count, 0);
  const statuses = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ') || 'none';
  const clientRows = (label: string, c: ClusterClientsReport, expected: number) => [
    [
      `${label}: clients with every ${expected} expected`,
      `${c.complete} / ${c.clients}`,
      `${c.clients} / ${c.clients}`,
    ],
    [`${label}: missing deliveries (clients)`, `${c.missing.total} (${c.missing.clients})`, '0'],
    [`${label}: duplicate deliveries (clients)`, `${c.duplicates.total} (${c.duplicates.clients})`, '0'],
    [
      `${label}: connections lost; all back within; each back in p50 / max`,
      `${c.drops}; ${fixed(c.recoveryMs / 1000)} s; ${fixed(c.reconnectP50Ms / 1000)} / ${fixed(c.reconnectMaxMs / 1000)} s`,
      '',
    ],
    [`${label}: answers while reconnecting`, statuses(c.reconnectStatuses), ''],
  ];
  printTable([
    ['through HAProxy, 3 nodes, one SIGKILLed mid-burst', 'measured', 'target'],
    ['open SSE / chat per node before the kill', spread, 'spread'],
    [
      'burst: reviews answered',
      `${statuses(r.burst.reviews)} (${fixed(r.burst.durationMs / 1000)} s, kill at ${fixed(r.burst.killedAtMs / 1000)} s)`,
      '',
    ],
    [
      'burst: 5xx / no answer vs requests in flight at the kill',
      `${fiveHundreds} vs ${r.burst.inFlightAtKill}`,
      `<= ${r.burst.inFlightAtKill}`,
    ],
    ['burst: chat frames sent / skipped (sender reconnecting)', `${r.burst.chat.sent} / ${r.burst.chat.skipped}`, ''],
    ['stored: notifications / chat messages', `${r.stored.notifications} / ${r.stored.chat}`, ''],
    ...clientRows('SSE', r.sse, r.stored.notifications),
    [`SSE: events out of id order`, String(r.sse.outOfOrder), '0'],
    ...clientRows('chat', r.ws, r.stored.chat),
    [
      'chat: messages recovered from GET /chat/messages; failed catch-ups',
      `${r.ws.caughtUp}; ${r.ws.catchUpFailures}`,
      '0 failed',
    ],
    [
      'GET /cars req/s (p99 ms): 3 nodes / 1 node',
      `${fixed(r.getCars.threeNodes.requestsPerSecond, 0)} (${r.getCars.threeNodes.latencyP99}) / ${fixed(r.getCars.oneNode.requestsPerSecond, 0)} (${r.getCars.oneNode.latencyP99})`,
      '',
    ],
    [
      'GET /cars non-2xx / errors: 3 nodes / 1 node',
      `${r.getCars.threeNodes.non2xx}, ${r.getCars.threeNodes.errors} / ${r.getCars.oneNode.non2xx}, ${r.getCars.oneNode.errors}`,
      '0',
    ],
  ]);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
