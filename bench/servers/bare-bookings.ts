/**
 * Baseline for POST /bookings: node:http + pg doing the durable work the API does for one booking,
 * with no framework and no ORM, on the same schema (a database of its own on the same server):
 *
 *   BEGIN; the booking and its first history row in one statement (the car locked FOR SHARE, its
 *   price read there); the notification INSERT; COMMIT
 *
 * The tables' triggers do for it what they do for the API: the rollup deltas, and the NOTIFYs on
 * commit (feed_outbox, table_changes). Like the API's outbox relay, it stamps the notifications'
 * feed order after the commits (`feed_relay`, one run at a time, woken by feed_outbox), and like its
 * mailer it then queues their e-mails (`enqueue_mail`). What the API adds around that — validation,
 * the access rules, its logging, the notification's text — is its cost.
 * With BARE_LOCK=1 it also takes one global pg_advisory_xact_lock first: the cost of ordering
 * notifications by a lock instead of the relay, on its own.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { readJson, serveCoordinator } from './child.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const GLOBAL_LOCK = process.env.BARE_LOCK === '1';
const RELAY_BATCH = 1000;

interface BookingRequest {
  carId: string;
  startDate: string;
  endDate: string;
  renter: { name: string; email: string };
}

const BOOKING_SQL = `
  WITH car AS (
    SELECT id, agency_id, make, model, price_per_day FROM cars WHERE id = $1 AND deleted_at IS NULL FOR SHARE
  ), booking AS (
    INSERT INTO bookings (car_id, start_date, end_date, renter_id, renter_name, renter_email, total_price)
    SELECT id, $2, $3, 'walk-in', $4, $5, price_per_day * ceil(extract(epoch FROM $3::timestamptz - $2::timestamptz) / 86400)
      FROM car
    RETURNING *
  ), history AS (
    INSERT INTO booking_changes (booking_id, actor_sub, actor_role, status_to, paid_to)
    SELECT id, 'local', 'agency', status, is_paid FROM booking
  )
  SELECT booking.*, car.agency_id, car.make, car.model FROM booking, car`;

async function book(input: BookingRequest): Promise<{ status: number; body: unknown }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (GLOBAL_LOCK) await client.query('SELECT pg_advisory_xact_lock(1852797801)');
    const { rows } = await client.query<Record<string, unknown>>(BOOKING_SQL, [
      input.carId,
      input.startDate,
      input.endDate,
      input.renter.name,
      input.renter.email,
    ]);
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      return { status: 404, body: { statusCode: 404, message: 'Car not found', error: 'Not Found' } };
    }
    const { agency_id: agencyId, make, model, ...booking } = rows[0];
    await client.query(
      `INSERT INTO notifications (agency_id, type, category, link, title, message, data)
       VALUES ($1, 'BOOKING', 'booking', $2, 'New Booking', $3, $4)`,
      [
        agencyId,
        `/bookings/${String(booking.id)}`,
        `New booking request for ${String(make)} ${String(model)} from ${input.renter.name}`,
        { booking },
      ],
    );
    await client.query('COMMIT');
    return { status: 201, body: booking };
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

/** The outbox relay's work: stamp the committed notifications' feed order, one run at a time. */
let relaying = false;
let again = false;
async function relay(): Promise<void> {
  if (relaying) {
    again = true;
    return;
  }
  relaying = true;
  try {
    do {
      again = false;
      const { rows } = await pool.query<{ stamped: number }>(
        `SELECT feed_relay('notifications', 'id', 'notifications', $1) AS stamped`,
        [RELAY_BATCH],
      );
      // As the API's mailer does with what was delivered: queue its e-mails.
      await pool.query('SELECT enqueue_mail($1)', [RELAY_BATCH]);
      again ||= rows[0].stamped >= RELAY_BATCH;
    } while (again);
  } finally {
    relaying = false;
  }
}
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
await listener.connect();
listener.on('notification', ({ payload }) => payload === 'notifications' && void relay());
await listener.query('LISTEN feed_outbox');

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
