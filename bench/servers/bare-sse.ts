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

const CHANNEL = 'bench_bare_sse';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
const streams = new Set<ServerResponse>();

interface ReviewRequest {
  carId: string;
  renterId: string;
  renterName: string;
  rating: number;
  comment: string;
}

/** Stores the review and its notification; the frame goes out when the NOTIFY arrives. */
async function review(input: ReviewRequest): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const car = await client.query<{ agency_id: string; make: string; model: string }>(
      'SELECT agency_id, make, model FROM cars WHERE id = $1 AND deleted_at IS NULL FOR SHARE',
      [input.carId],
    );
    if (car.rowCount === 0) {
      await client.query('ROLLBACK');
      return 404;
    }
    const { agency_id: agencyId, make, model } = car.rows[0];
    const stored = await client.query<Record<string, unknown>>(
      `INSERT INTO reviews (car_id, renter_id, renter_name, rating, comment) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [input.carId, input.renterId, input.renterName, input.rating, input.comment],
    );
    const message = `New ${input.rating}-star review for ${make} ${model} from ${input.renterName}`;
    const notification = await client.query<{ id: string; created_at: Date }>(
      `INSERT INTO notifications (agency_id, type, title, message, data) VALUES ($1, 'REVIEW', 'New Review', $2, $3)
       RETURNING id, created_at`,
      [agencyId, message, { review: stored.rows[0] }],
    );
    const { id, created_at: createdAt } = notification.rows[0];
    const data = { id, type: 'REVIEW', title: 'New Review', message, isRead: false, createdAt, data: stored.rows[0] };
    await client.query('SELECT pg_notify($1, $2)', [CHANNEL, `id: ${id}\ndata: ${JSON.stringify(data)}\n\n`]);
    await client.query('COMMIT');
    return 201;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

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
