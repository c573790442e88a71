/**
 * Baseline for SSE fan-out: node:http + pg doing the same durable work as the API for POST /reviews
 * (the car read FOR SHARE, the review and its notification INSERTed in one transaction, a NOTIFY
 * with the commit), told by that NOTIFY on a LISTEN connection as the API is, and then writing one
 * pre-serialized frame to every open stream. What it leaves out is the API's ordering: no relay
 * stamps the notification and nothing reads it back (its frame travels in the NOTIFY payload).
 */
import { createServer, type ServerResponse } from 'node:http';
import pg from 'pg';
import { readJson, serveCoordinator } from './child.js';
import { storeReview, type ReviewRequest } from './review-write.js';

const CHANNEL = 'bench_bare_sse';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
const streams = new Set<ServerResponse>();

/** Stores the review and its notification; the frame goes out when the NOTIFY arrives. */
const review = async (input: ReviewRequest): Promise<number> =>
  (await storeReview(pool, input, CHANNEL, ({ id, data }) => `id: ${id}\ndata: ${JSON.stringify(data)}\n\n`))
    ? 201
    : 404;

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
  if (request.method === 'POST' && request.url === '/reviews') {
    readJson<ReviewRequest>(request)
      .then(review)
      .then(
        (status) => response.writeHead(status).end(),
        () => response.writeHead(500).end(),
      );
    return;
  }
  response.writeHead(404).end();
});

await listener.connect();
await listener.query(`LISTEN ${CHANNEL}`);
listener.on('notification', ({ payload }) => {
  for (const stream of streams) stream.write(payload!);
});
server.listen(0, '127.0.0.1', () => serveCoordinator((server.address() as { port: number }).port));
