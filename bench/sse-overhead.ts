/**
 * npm run bench:sse-overhead — where the memory of an idle SSE stream goes:
 * heap per open stream (after a forced GC) for a bare node:http server, plain
 * Express, a Nest route with @Res(), and a Nest @Sse() route that emits nothing
 * after its first comment. The clients run in a separate process.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Module, Res, Sse, type MessageEvent } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type Response } from 'express';
import { Observable } from 'rxjs';
import { sleep } from './harness/common.js';
import { FanoutClients } from './harness/processes.js';

const N = Number(process.env.BENCH_STREAMS ?? 2000);

@Controller()
class StreamsController {
  @Sse('sse')
  sse(): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => subscriber.next({ comment: 'open' }));
  }

  @Get('raw')
  raw(@Res() response: Response): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    response.write(': open\n\n');
  }
}

@Module({ controllers: [StreamsController] })
class StreamsModule {}

const heap = () => {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

async function perStream(server: Server, path: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const clients = new FanoutClients();
  const before = heap();
  await clients.open('sse', `http://127.0.0.1:${port}${path}`, N);
  await sleep(500);
  const after = heap();
  await clients.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return (after - before) / N;
}

const variants: Record<string, () => Promise<[Server, string]>> = {
  'bare node:http': () =>
    Promise.resolve([
      createServer((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        response.write(': open\n\n');
      }),
      '/',
    ]),
  express: () => {
    const app = express();
    app.get('/sse', (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write(': open\n\n');
    });
    return Promise.resolve([createServer(app), '/sse']);
  },
  'nest @Get + @Res()': async () => [await nestServer(), '/raw'],
  'nest @Sse()': async () => [await nestServer(), '/sse'],
};

async function nestServer(): Promise<Server> {
  const nest = await NestFactory.create(StreamsModule, { logger: false });
  await nest.init();
  return nest.getHttpServer() as Server;
}

const variant = process.argv[2];
if (variant) {
  // One variant per process, so that none inherits another's garbage or warmed-up caches.
  const [server, path] = await variants[variant]();
  process.send?.(await perStream(server, path));
  process.exit(0);
}
console.log(`heap per idle SSE stream (${N} streams, after GC; clients in another process)`);
for (const name of Object.keys(variants)) {
  const child = fork(fileURLToPath(import.meta.url), [name], { execArgv: ['--expose-gc'] });
  const bytes = await new Promise<number>((resolve) => child.once('message', (value: number) => resolve(value)));
  console.log(`${name.padEnd(22)} ${(bytes / 1024).toFixed(1)} KiB`);
}
