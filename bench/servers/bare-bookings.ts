/**
 * Baseline for POST /bookings: node:http + pg doing the same durable work as the API in one
 * transaction — the car read FOR SHARE, the booking INSERT under the same exclusion constraint, the
 * notification INSERT — with no framework and no ORM, on the same schema: the tables' triggers send
 * the same NOTIFYs on commit as for the API's writes (feed_outbox, table_changes). With BARE_LOCK=1
 * it also takes one global pg_advisory_xact_lock first, the other way to make notification ids follow
 * commit order (every writer waits for the previous one): the cost of that lock, on its own.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { readJson, serveCoordinator } from './child.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const GLOBAL_LOCK = process.env.BARE_LOCK === '1';
const DAY_MS = 24 * 60 * 60 * 1000;

interface BookingRequest {
  carId: string;
  startDate: string;
  endDate: string;
  renter: { name: string; email: string };
}

async function book(input: BookingRequest): Promise<{ status: number; body: unknown }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (GLOBAL_LOCK) await client.query('SELECT pg_advisory_xact_lock(1852797801)');
    const car = await client.query<{ price: string; agency_id: string; make: string; model: string }>(
      'SELECT price_per_day AS price, agency_id, make, model FROM cars WHERE id = $1 AND deleted_at IS NULL FOR SHARE',
      [input.carId],
    );
    if (car.rowCount === 0) {
      await client.query('ROLLBACK');
      return { status: 404, body: { statusCode: 404, message: 'Car not found', error: 'Not Found' } };
    }
    const start = new Date(input.startDate);
    const end = new Date(input.endDate);
    const days = Math.ceil((end.getTime() - start.getTime()) / DAY_MS);
    const booking = await client.query<Record<string, unknown>>(
      `INSERT INTO bookings (car_id, start_date, end_date, renter_id, renter_name, renter_email, total_price)
       VALUES ($1, $2, $3, gen_random_uuid()::text, $4, $5, $6) RETURNING *`,
      [input.carId, start, end, input.renter.name, input.renter.email, Number(car.rows[0].price) * days],
    );
    const { agency_id: agencyId, make, model } = car.rows[0];
    await client.query(
      `INSERT INTO notifications (agency_id, type, title, message, data) VALUES ($1, 'BOOKING', 'New Booking', $2, $3)
       RETURNING id`,
      [agencyId, `New booking request for ${make} ${model} from ${input.renter.name}`, { booking: booking.rows[0] }],
    );
    await client.query('COMMIT');
    return { status: 201, body: booking.rows[0] };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code === '23P01') {
      return { status: 409, body: { statusCode: 409, message: 'Overlapping booking', error: 'Conflict' } };
    }
    throw error;
  } finally {
    client.release();
  }
}

const server = createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/bookings') {
    response.writeHead(404).end();
    return;
  }
  readJson<BookingRequest>(request)
    .then(book)
    .then(
      ({ status, body }) => {
        response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(body));
      },
      () => response.writeHead(500).end(),
    );
});
server.listen(0, '127.0.0.1', () => serveCoordinator((server.address() as { port: number }).port));
