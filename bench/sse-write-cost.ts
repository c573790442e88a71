/**
 * npm run bench:sse-write — what writing one event to N open SSE streams costs, by how it is written:
 * through plain node:http responses, through Express responses (what a Nest route gets), and to the
 * sockets of Express responses with the chunk framed once (what SseConnections does). Prints the
 * time of the loop that writes to every stream and the time until every write has reached its
 * socket (node:http corks a response's writes until the next tick), median of 5 events, each
 * variant in its own process; the clients run in another one.
 */
import { fork } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { sleep } from './harness/common.js';
import { FanoutClients } from './harness/processes.js';

const N = Number(process.env.BENCH_STREAMS ?? 5000);
const EVENTS = 5;
const event = Buffer.from(`id: 1\ndata: ${JSON.stringify({ message: 'x'.repeat(600) })}\n\n`);
const chunk = Buffer.concat([Buffer.from(`${event.length.toString(16)}\r\n`), event, Buffer.from('\r\n')]);

type Write = (response: ServerResponse) => void;
const variants: Record<string, { express: boolean; write: Write }> = {
  'node:http response.write': { express: false, write: (response) => response.write(event) },
  'Express response.write': { express: true, write: (response) => response.write(event) },
  'Express socket.write (framed once)': { express: true, write: (response) => response.socket!.write(chunk) },
};

async function measure({ express: viaExpress, write }: { express: boolean; write: Write }): Promise<number[][]> {
  const streams: ServerResponse[] = [];
  const open = (_request: unknown, response: ServerResponse) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    response.flushHeaders();
    streams.push(response);
  };
  const server = viaExpress ? createServer(express().get('/sse', open)) : createServer(open);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clients = new FanoutClients();
  await clients.open('sse', `http://127.0.0.1:${(server.address() as AddressInfo).port}/sse`, N);
  await sleep(500);
  const runs: number[][] = [];
  for (let i = 0; i < EVENTS; i++) {
    const start = performance.now();
    for (const response of streams) write(response);
    const looped = performance.now();
    await new Promise((resolve) => setImmediate(resolve)); // after the corked writes' flush
    runs.push([looped - start, performance.now() - start]);
    await sleep(300);
  }
  await clients.close();
  server.closeAllConnections();
  return runs;
}

const variant = process.argv[2];
if (variant) {
  process.send?.(await measure(variants[variant]));
  process.exit(0);
}
console.log(`one event written to ${N} SSE streams: loop / until on the sockets, ms (median of ${EVENTS})`);
for (const name of Object.keys(variants)) {
  const child = fork(fileURLToPath(import.meta.url), [name]);
  const runs = await new Promise<number[][]>((resolve) => child.once('message', (value: number[][]) => resolve(value)));
  const median = (index: number) => runs.map((run) => run[index]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  console.log(`${name.padEnd(36)} ${median(0).toFixed(1).padStart(6)} / ${median(1).toFixed(1)}`);
}
