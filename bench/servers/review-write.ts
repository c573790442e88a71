import type pg from 'pg';

export interface ReviewRequest {
  carId: string;
  renterId: string;
  renterName: string;
  rating: number;
  comment: string;
}

/** The notification as the API would send it (without the relay's ordering). */
export interface StoredNotification {
  id: string;
  data: Record<string, unknown>;
}

/**
 * The durable work of POST /reviews, for the bare SSE servers: the car read FOR SHARE, the review
 * and its notification INSERTed in one transaction, and `NOTIFY channel, payload` sent with the
 * commit. False when the car does not exist (nothing stored).
 */
export async function storeReview(
  pool: pg.Pool,
  input: ReviewRequest,
  channel: string,
  payload: (notification: StoredNotification) => string,
): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const car = await client.query<{ agency_id: string; make: string; model: string }>(
      'SELECT agency_id, make, model FROM cars WHERE id = $1 AND deleted_at IS NULL FOR SHARE',
      [input.carId],
    );
    if (car.rowCount === 0) {
      await client.query('ROLLBACK');
      return false;
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
    await client.query('SELECT pg_notify($1, $2)', [channel, payload({ id, data })]);
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
