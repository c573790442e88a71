/** Baseline for SSE fan-out: node:http writing one pre-serialized frame to every open stream. */
import { createServer, type ServerResponse } from 'node:http';
import { serveCoordinator } from './child.js';

const streams = new Set<ServerResponse>();
let sequence = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/sse') {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    response.write('\n');
    streams.add(response);
    request.on('close', () => streams.delete(response));
    return;
  }
  if (request.method === 'POST' && request.url === '/publish') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      sequence += 1;
      const frame = `id: ${sequence}\ndata: ${body}\n\n`;
      for (const stream of streams) stream.write(frame);
      response.writeHead(204).end();
    });
    return;
  }
  response.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => serveCoordinator((server.address() as { port: number }).port));
