import pg from 'pg';

export interface ScaleSize {
  agencies: number;
  cars: number;
  bookings: number;
}

export const DEFAULT_SCALE: ScaleSize = { agencies: 200, cars: 20_000, bookings: 1_000_000 };

/** Bookings inserted per statement (one progress line each). */
const CHUNK = 100_000;
/** The triggers that keep the analytics rollups in step, by table. */
const ROLLUP_TRIGGERS = [
  ['bookings', 'bookings_rollup'],
  ['bookings', 'bookings_rollup_update'],
  ['cars', 'cars_rollup'],
  ['users', 'users_rollup'],
] as const;
/** Distinct renters the bookings are spread over. */
const RENTERS = 50_000;
const DAY_SECONDS = 86_400;
/** The span the bookings cover: the year before the run and the year after it. */
const SPAN_DAYS = 730;

const MODELS = [
  ['Toyota', 'Corolla', 'Sedan', 5, 'Hybrid'],
  ['Dacia', 'Duster', 'SUV', 5, 'Diesel'],
  ['Renault', 'Clio', 'Hatchback', 5, 'Petrol'],
  ['Peugeot', '3008', 'SUV', 5, 'Diesel'],
  ['Volkswagen', 'Golf', 'Hatchback', 5, 'Petrol'],
  ['Mercedes-Benz', 'C-Class', 'Sedan', 5, 'Petrol'],
  ['Citroën', 'C3', 'Hatchback', 5, 'Diesel'],
  ['Hyundai', 'Tucson', 'SUV', 5, 'Hybrid'],
  ['Kia', 'Picanto', 'Hatchback', 4, 'Petrol'],
  ['Toyota', 'Land Cruiser', 'SUV', 7, 'Diesel'],
  ['Tesla', 'Model 3', 'Sedan', 5, 'Electric'],
  ['Ford', 'Transit', 'Van', 9, 'Diesel'],
  ['Fiat', '500', 'Hatchback', 4, 'Petrol'],
  ['Škoda', 'Octavia', 'Wagon', 5, 'Diesel'],
  ['BMW', 'X5', 'SUV', 5, 'Hybrid'],
  ['Nissan', 'Leaf', 'Hatchback', 5, 'Electric'],
] as const;
const CITIES = ['Casablanca', 'Marrakech', 'Rabat', 'Tangier', 'Agadir', 'Fes', 'Essaouira', 'Oujda'];

const sqlArray = (values: readonly (string | number)[]) =>
  `ARRAY[${values.map((value) => (typeof value === 'number' ? value : `'${value.replace(/'/g, "''")}'`)).join(', ')}]`;
const column = (index: number) => sqlArray(MODELS.map((model) => model[index]));
/** A stable pseudo-random number in [0, mod) for `expr` and `salt`: the same data every run. */
const hash = (expr: string, salt: number, mod: number) =>
  `(abs(hashint8((${expr})::bigint * 7919 + ${salt})) % ${mod})`;

/**
 * Bulk-loads a realistic platform into an empty, migrated database, in SQL on the server (no row
 * travels over the wire): agencies (1 in 20 suspended, 1 in 20 pending), cars spread over them (each on the platform before its first booking),
 * bookings in every status over the year before and the year after today (each car's bookings in
 * slots of their own, so the no-overlap constraint holds; past ones Completed, Cancelled or Rejected,
 * future ones Confirmed, Pending — created within the last hours, so no hold has expired — or
 * Cancelled; a booking far ahead was made during the last four months), each booking's history, reviews of 30% of the Completed bookings with the ratings
 * they add up to, renter accounts, and notifications (1 in 10 bookings) already in delivery order.
 */
export async function seedScale(url: string, size: ScaleSize, log: (message: string) => void): Promise<void> {
  const perCar = Math.ceil(size.bookings / size.cars);
  if (perCar > SPAN_DAYS / 2) throw new Error(`At most ${SPAN_DAYS / 2} bookings per car: raise --cars`);
  const client = new pg.Client({ connectionString: url, application_name: 'seed-scale' });
  await client.connect();
  const started = Date.now();
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const began = Date.now();
    const result = await client.query(sql, params);
    const rows = result.rowCount ?? 0;
    log(`${what}: ${rows.toLocaleString('en-US')} rows in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    return rows;
  };
  try {
    const { rows } = await client.query<{ used: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM cars) OR EXISTS (SELECT 1 FROM bookings) AS used',
    );
    if (rows[0].used) throw new Error('The database already holds cars or bookings: seed:scale loads an empty one');
    await client.query(`SET synchronous_commit = off`);
    // The analytics rollups are computed once at the end (rebuild_rollups) rather than by the triggers row by row.
    for (const [table, trigger] of ROLLUP_TRIGGERS)
      await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);

    await step(
      'agencies',
      `INSERT INTO agencies (id, name, status, status_reason, city, email, phone, created_at)
       SELECT md5('agency' || i)::uuid, 'Agency ' || i,
              CASE i % 20 WHEN 0 THEN 'suspended' WHEN 1 THEN 'pending' ELSE 'active' END,
              CASE i % 20 WHEN 0 THEN 'Unpaid fees' ELSE NULL END,
              (${sqlArray(CITIES)})[1 + i % ${CITIES.length}], 'desk' || i || '@agency.example', '+212 5 00 ' || lpad(i::text, 6, '0'),
              now() - make_interval(days => 730 + i % 365)
       FROM generate_series(1, $1::int) i`,
      [size.agencies],
    );
    await step(
      'cars',
      `INSERT INTO cars (id, agency_id, make, model, year, type, seats, fuel_type, price_per_day, available, location,
                         description, features, images, created_at, updated_at)
       SELECT md5('car' || i)::uuid, md5('agency' || (1 + i % $2::int))::uuid,
              (${column(0)})[1 + m], (${column(1)})[1 + m], 2015 + ${hash('i', 1, 11)}, (${column(2)})[1 + m],
              (${column(3)})[1 + m], (${column(4)})[1 + m], 20 + ${hash('i', 2, 180)}, ${hash('i', 3, 100)} < 97,
              (${sqlArray(CITIES)})[1 + ${hash('i', 4, CITIES.length)}],
              'Well kept ' || lower((${column(2)})[1 + m]) || ', ' || (${column(3)})[1 + m] || ' seats',
              ARRAY['Bluetooth', 'Air conditioning'], ARRAY['/placeholder.svg?height=200&width=300'],
              now() - make_interval(days => ${SPAN_DAYS / 2} + ${hash('i', 5, 365)}), now()
       FROM generate_series(1, $1::int) i, LATERAL (SELECT ${hash('i', 0, MODELS.length)} AS m) pick`,
      [size.cars, size.agencies],
    );

    // Booking b is car (b % cars)'s slot (b / cars): a slot is SPAN/perCar long and its booking ends
    // within it, so one car's bookings never overlap.
    const slotSeconds = Math.floor((SPAN_DAYS * DAY_SECONDS) / perCar);
    const maxDays = Math.max(1, Math.min(7, Math.floor(slotSeconds / 2 / DAY_SECONDS)));
    const period = `SELECT b, md5('car' || (1 + b % $3::int))::uuid AS car_id,
              date_trunc('hour', now()) - interval '365 days'
                + make_interval(secs => (b / $3::int) * ${slotSeconds} + ${hash('b', 6, slotSeconds - maxDays * DAY_SECONDS)}) AS start_date,
              make_interval(days => 1 + ${hash('b', 7, maxDays)}) AS length
       FROM generate_series($1::bigint, $2::bigint) b`;
    for (let from = 0; from < size.bookings; from += CHUNK) {
      const to = Math.min(size.bookings, from + CHUNK) - 1;
      await step(
        `bookings ${(to + 1).toLocaleString('en-US')} / ${size.bookings.toLocaleString('en-US')}`,
        `INSERT INTO bookings (id, car_id, start_date, end_date, renter_id, renter_name, renter_email, renter_account,
                               status, total_price, is_paid, created_at, updated_at)
         SELECT gen_random_uuid(), p.car_id, p.start_date, p.start_date + p.length,
                'renter-' || r, 'Renter ' || r, 'renter-' || r || '@example.com', true, s.status,
                c.price_per_day * extract(day FROM p.length), s.status IN ('Completed', 'Confirmed'),
                s.created_at, s.created_at
         FROM (${period}) p
         JOIN cars c ON c.id = p.car_id
         CROSS JOIN LATERAL (SELECT ${hash('p.b', 8, RENTERS)} AS r, ${hash('p.b', 9, 100)} AS dice) d
         CROSS JOIN LATERAL (SELECT
             CASE WHEN p.start_date + p.length < now() THEN
                    CASE WHEN d.dice < 80 THEN 'Completed' WHEN d.dice < 92 THEN 'Cancelled' ELSE 'Rejected' END
                  WHEN p.start_date > now() THEN
                    CASE WHEN d.dice < 60 THEN 'Confirmed' WHEN d.dice < 85 THEN 'Pending' ELSE 'Cancelled' END
                  ELSE 'Confirmed' END AS status) st
         CROSS JOIN LATERAL (SELECT st.status,
             CASE WHEN st.status = 'Pending' THEN now() - make_interval(mins => ${hash('p.b', 10, 600)})
                  WHEN p.start_date - make_interval(days => 1 + ${hash('p.b', 11, 60)}) < now()
                    THEN p.start_date - make_interval(days => 1 + ${hash('p.b', 11, 60)})
                  ELSE now() - make_interval(days => ${hash('p.b', 12, 120)}, mins => ${hash('p.b', 13, 1440)}) END AS created_at) s`,
        [from, to, size.cars],
      );
    }
    await step(
      'booking history (creation)',
      `INSERT INTO booking_changes (booking_id, actor_sub, actor_role, status_to, paid_to, at)
       SELECT id, renter_id, 'renter', 'Pending', false, created_at FROM bookings`,
    );
    await step(
      'booking history (status)',
      `INSERT INTO booking_changes (booking_id, actor_sub, actor_role, status_from, status_to, at)
       SELECT id, 'clerk', 'agency', 'Pending', status, created_at + interval '2 hours' FROM bookings WHERE status <> 'Pending'`,
    );
    await step(
      'renter accounts',
      `INSERT INTO users (sub, issuer, role, name, email, first_seen_at, last_seen_at)
       SELECT DISTINCT ON (renter_id) renter_id, '', 'renter', renter_name, renter_email, created_at, created_at
       FROM bookings ORDER BY renter_id, created_at`,
    );
    // The ratings are summed once at the end rather than by the trigger row by row.
    await client.query(`ALTER TABLE reviews DISABLE TRIGGER reviews_car_ratings`);
    await step(
      'reviews',
      `INSERT INTO reviews (car_id, booking_id, renter_id, renter_name, rating, comment, created_at, updated_at)
       SELECT car_id, id, renter_id, renter_name, (ARRAY[1, 2, 3, 4, 4, 5, 5, 5])[1 + ${hash('hashtext(id::text)', 12, 8)}],
              'Smooth rental', end_date + interval '1 day', end_date + interval '1 day'
       FROM bookings WHERE status = 'Completed' AND ${hash('hashtext(id::text)', 13, 100)} < 30`,
    );
    await client.query(`ALTER TABLE reviews ENABLE TRIGGER reviews_car_ratings`);
    await step(
      'car ratings',
      `INSERT INTO car_ratings (car_id, review_count, rating_sum)
       SELECT car_id, count(*), sum(rating) FROM reviews WHERE removed_at IS NULL GROUP BY car_id`,
    );
    // Already in delivery order (feed_seq set), as the outbox relay would have left them.
    await step(
      'notifications',
      `INSERT INTO notifications (agency_id, recipient_sub, type, title, message, is_read, data, feed_seq, created_at)
       SELECT n.agency_id, n.recipient_sub, 'BOOKING', n.title, n.message, n.created_at < now() - interval '7 days',
              n.data, nextval('notifications_feed_seq'), n.created_at
       FROM (SELECT c.agency_id, NULL::text AS recipient_sub, 'New Booking' AS title,
                    'New booking request for ' || c.make || ' ' || c.model || ' from ' || b.renter_name AS message,
                    jsonb_build_object('booking', jsonb_build_object('id', b.id, 'carId', b.car_id, 'status', 'Pending')) AS data,
                    b.created_at
               FROM bookings b JOIN cars c ON c.id = b.car_id WHERE ${hash('hashtext(b.id::text)', 14, 10)} = 0
             UNION ALL
             SELECT c.agency_id, b.renter_id, 'Booking ' || b.status,
                    'Your booking of ' || c.make || ' ' || c.model || ' is now ' || b.status,
                    jsonb_build_object('booking', jsonb_build_object('id', b.id, 'carId', b.car_id, 'status', b.status)),
                    b.created_at + interval '2 hours'
               FROM bookings b JOIN cars c ON c.id = b.car_id
              WHERE b.status <> 'Pending' AND ${hash('hashtext(b.id::text)', 14, 10)} = 0
             ORDER BY created_at) n`,
    );
    for (const [table, trigger] of ROLLUP_TRIGGERS)
      await client.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
    // History, not news: the loaded notifications are not e-mailed.
    await client.query(`UPDATE mail_cursor SET feed_seq = (SELECT coalesce(max(feed_seq), 0) FROM notifications)`);
    const rebuilt = Date.now();
    await client.query(`SELECT rebuild_rollups()`);
    log(`analytics rollups: ${((Date.now() - rebuilt) / 1000).toFixed(1)} s`);
    // As autovacuum would leave it: statistics, and the visibility map index-only scans rely on.
    const began = Date.now();
    await client.query('VACUUM (ANALYZE)');
    log(`vacuum and analyze: ${((Date.now() - began) / 1000).toFixed(1)} s`);
    log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
}
