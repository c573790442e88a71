import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface OverviewRow {
  by_status: Record<string, number> | null;
  revenue: string | null;
  booked_seconds: string | null;
  available_seconds: string | null;
  new_agencies: number;
  new_users: number;
  open_complaints: Record<string, number> | null;
  top_agencies: { agencyId: string; name: string; revenue: string }[] | null;
}

export type Grain = 'total' | 'type' | 'agency';
export type Interval = 'day' | 'week' | 'month';

export interface SeriesRow {
  period: string;
  period_end: string;
  key: string;
  created: number;
  revenue: string;
  booked_seconds: string;
  available_seconds: string;
  new_accounts: number;
}

const MEASURES = [
  'pending',
  'confirmed',
  'completed',
  'cancelled',
  'rejected',
  'revenue',
  'booked_seconds',
  'new_accounts',
];

/**
 * The daily figures of grain `grain` for the UTC days [$lo, $hi) (date parameters): the folded
 * rollups and the deltas not folded yet, one row per day, key and source, summed by the reader.
 */
function dailyFacts(grain: Grain, lo: string, hi: string): string {
  const key = { total: `''`, type: 'car_type', agency: 'agency_id::text' }[grain];
  const measures = MEASURES.join(', ');
  return `SELECT day, key, ${measures} FROM rollups WHERE grain = '${grain}' AND day >= ${lo} AND day < ${hi}
    UNION ALL
    SELECT day, ${key} AS key, ${measures} FROM rollup_deltas WHERE day >= ${lo} AND day < ${hi} AND ${key} IS NOT NULL`;
}

/**
 * Seconds of car life within [lo, hi) of alias `c`'s car: the available time occupancy divides by.
 */
const carSeconds = (c: string, lo: string, hi: string) =>
  `extract(epoch FROM least(coalesce(${c}.deleted_at, 'infinity'), ${hi}) - greatest(${c}.created_at, ${lo}))`;
const carLivesIn = (c: string, lo: string, hi: string) =>
  `${c}.created_at < ${hi} AND (${c}.deleted_at IS NULL OR ${c}.deleted_at > ${lo})`;

const DAYS_FROM = `($3::timestamptz AT TIME ZONE 'UTC')::date`;
const DAYS_TO = `($4::timestamptz AT TIME ZONE 'UTC')::date`;

/**
 * The overview of [$1, $2) in one statement. The whole UTC days [$3, $4) are read from the daily
 * rollups (a row per day, whatever the bookings); the parts of a day at either end from the tables
 * themselves, through their indexes (bookings by creation, paid Completed by end, booked periods).
 * Booked time counts only while the car existed. Available time, new agencies and open complaints
 * are read from cars, agencies and complaints, which do not grow with the bookings.
 */
const OVERVIEW_SQL = `
WITH edges AS (
  SELECT e.lo, e.hi FROM (VALUES ($1::timestamptz, $3::timestamptz), ($4::timestamptz, $2::timestamptz)) e(lo, hi)
   WHERE e.hi > e.lo),
edge_facts AS (
  SELECT c.agency_id, count(*) FILTER (WHERE b.status = 'Pending') AS pending,
         count(*) FILTER (WHERE b.status = 'Confirmed') AS confirmed,
         count(*) FILTER (WHERE b.status = 'Completed') AS completed,
         count(*) FILTER (WHERE b.status = 'Cancelled') AS cancelled,
         count(*) FILTER (WHERE b.status = 'Rejected') AS rejected, 0 AS revenue, 0 AS booked_seconds
    FROM edges e JOIN bookings b ON b.created_at >= e.lo AND b.created_at < e.hi JOIN cars c ON c.id = b.car_id
   GROUP BY c.agency_id
  UNION ALL
  SELECT c.agency_id, 0, 0, 0, 0, 0, sum(b.total_price), 0
    FROM edges e JOIN bookings b ON b.status = 'Completed' AND b.is_paid AND b.end_date >= e.lo AND b.end_date < e.hi
    JOIN cars c ON c.id = b.car_id
   GROUP BY c.agency_id
  UNION ALL
  SELECT c.agency_id, 0, 0, 0, 0, 0, 0,
         sum(extract(epoch FROM least(b.end_date, e.hi, coalesce(c.deleted_at, 'infinity'))
                              - greatest(b.start_date, e.lo, c.created_at)))
    FROM edges e JOIN bookings b ON b.status IN ('Confirmed', 'Completed')
         AND tstzrange(b.start_date, b.end_date, '[)') && tstzrange(e.lo, e.hi, '[)')
    JOIN cars c ON c.id = b.car_id
   WHERE least(b.end_date, e.hi, coalesce(c.deleted_at, 'infinity')) > greatest(b.start_date, e.lo, c.created_at)
   GROUP BY c.agency_id),
edge_users AS (
  SELECT count(*) AS n FROM edges e JOIN users u ON u.first_seen_at >= e.lo AND u.first_seen_at < e.hi),
days AS (${dailyFacts('total', DAYS_FROM, DAYS_TO)}),
agency_days AS (
  SELECT key::uuid AS agency_id, sum(revenue) AS revenue FROM (${dailyFacts('agency', DAYS_FROM, DAYS_TO)}) f
   GROUP BY key HAVING sum(revenue) <> 0),
totals AS (
  SELECT sum(pending) AS pending, sum(confirmed) AS confirmed, sum(completed) AS completed,
         sum(cancelled) AS cancelled, sum(rejected) AS rejected, sum(revenue) AS revenue,
         sum(booked_seconds) AS booked_seconds
    FROM (SELECT pending, confirmed, completed, cancelled, rejected, revenue, booked_seconds FROM days
          UNION ALL
          SELECT pending, confirmed, completed, cancelled, rejected, revenue, booked_seconds FROM edge_facts) f),
paid AS (
  SELECT agency_id, sum(revenue) AS amount
    FROM (SELECT agency_id, revenue FROM agency_days UNION ALL SELECT agency_id, revenue FROM edge_facts) f
   GROUP BY agency_id HAVING sum(revenue) <> 0),
top AS (
  SELECT jsonb_agg(jsonb_build_object('agencyId', t.agency_id, 'name', t.name, 'revenue', t.amount::text)
                   ORDER BY t.amount DESC, t.agency_id) AS agencies
    FROM (SELECT paid.agency_id, a.name, paid.amount FROM paid JOIN agencies a ON a.id = paid.agency_id
           ORDER BY paid.amount DESC, paid.agency_id LIMIT 10) t)
SELECT (SELECT jsonb_build_object('Pending', coalesce(pending, 0), 'Confirmed', coalesce(confirmed, 0),
                                  'Completed', coalesce(completed, 0), 'Cancelled', coalesce(cancelled, 0),
                                  'Rejected', coalesce(rejected, 0)) FROM totals) AS by_status,
       (SELECT revenue FROM totals)::text AS revenue,
       (SELECT booked_seconds FROM totals)::text AS booked_seconds,
       (SELECT sum(${carSeconds('c', '$1::timestamptz', '$2::timestamptz')}) FROM cars c
         WHERE ${carLivesIn('c', '$1::timestamptz', '$2::timestamptz')})::text AS available_seconds,
       (SELECT count(*)::int FROM agencies WHERE created_at >= $1 AND created_at < $2) AS new_agencies,
       ((SELECT coalesce(sum(new_accounts), 0) FROM days) + (SELECT n FROM edge_users))::int AS new_users,
       (SELECT jsonb_object_agg(priority, n)
          FROM (SELECT priority, count(*)::int AS n FROM complaints WHERE status IN ('open', 'in_review')
                 GROUP BY priority) p) AS open_complaints,
       (SELECT agencies FROM top) AS top_agencies`;

/**
 * One series in one statement: per period of `interval` within the UTC days [$1, $2), and per key of
 * `grain`: bookings created, revenue, booked time and new accounts (platform only) from the daily
 * rollups; the available time of the cars (of that type or agency) in one pass over the cars, each
 * placed by width_bucket in the period it was created or deleted in: a period's car time is the cars
 * alive at its start times its length, plus what those created in it add and those deleted take off.
 */
function seriesSql(grain: Grain, interval: Interval): string {
  const carKey = { total: `''`, type: 'c.type', agency: 'c.agency_id::text' }[grain];
  const utc = (day: string) => `(${day}::timestamp AT TIME ZONE 'UTC')`;
  return `
WITH periods AS (
  SELECT row_number() OVER (ORDER BY p)::int AS i, greatest(p, $1::date::timestamp)::date AS start,
         least(p + interval '1 ${interval}', $2::date::timestamp)::date AS "end"
    FROM generate_series(date_trunc('${interval}', $1::date::timestamp), $2::date::timestamp - interval '1 day',
                         interval '1 ${interval}') p),
bounds AS (
  SELECT array_agg(${utc('start')} ORDER BY i) || ${utc('$2::date')} AS b, count(*)::int AS n FROM periods),
events AS (
  SELECT ${carKey} AS key, width_bucket(c.created_at, bounds.b) AS bucket, 1 AS delta, c.created_at AS at
    FROM cars c, bounds WHERE c.created_at < bounds.b[bounds.n + 1]
  UNION ALL
  SELECT ${carKey}, width_bucket(c.deleted_at, bounds.b), -1, c.deleted_at
    FROM cars c, bounds WHERE c.deleted_at < bounds.b[bounds.n + 1]),
moves AS (
  SELECT e.key, e.bucket, sum(e.delta) AS net,
         sum(CASE WHEN e.bucket > 0 THEN e.delta * extract(epoch FROM bounds.b[e.bucket + 1] - e.at) ELSE 0 END) AS partial
    FROM events e, bounds GROUP BY e.key, e.bucket),
fleet AS (
  SELECT s.key, s.i, coalesce(sum(m.net) OVER before_it, 0) AS alive, coalesce(m.partial, 0) AS partial
    FROM (SELECT k.key, i FROM (SELECT DISTINCT key FROM moves) k, bounds, generate_series(0, bounds.n) i) s
    LEFT JOIN moves m ON m.key = s.key AND m.bucket = s.i
  WINDOW before_it AS (PARTITION BY s.key ORDER BY s.i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
facts AS (
  SELECT date_trunc('${interval}', day)::date AS bucket, key,
         sum(pending + confirmed + completed + cancelled + rejected) AS created, sum(revenue) AS revenue,
         sum(booked_seconds) AS booked_seconds, sum(new_accounts) AS new_accounts
    FROM (${dailyFacts(grain, '$1::date', '$2::date')}) f
   GROUP BY 1, 2),
keys AS (SELECT key FROM facts UNION SELECT key FROM moves${grain === 'total' ? ` UNION SELECT ''` : ''})
SELECT p.start::text AS period, p."end"::text AS period_end, k.key, coalesce(f.created, 0)::int AS created,
       coalesce(f.revenue, 0)::text AS revenue, coalesce(f.booked_seconds, 0)::text AS booked_seconds,
       coalesce(fl.alive * extract(epoch FROM ${utc('p."end"')} - ${utc('p.start')}) + fl.partial, 0)::text
         AS available_seconds,
       coalesce(f.new_accounts, 0)::int AS new_accounts
  FROM periods p CROSS JOIN keys k
  LEFT JOIN facts f ON f.bucket = date_trunc('${interval}', p.start)::date AND f.key = k.key
  LEFT JOIN fleet fl ON fl.i = p.i AND fl.key = k.key
 ORDER BY k.key, p.start`;
}

/** The SQL of the admin team's figures: the overview, the series, and the folding of the rollups. */
@Injectable()
export class OverviewRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The overview of [from, to), whose whole UTC days [daysFrom, daysTo) come from the rollups. */
  async overview(from: Date, to: Date, daysFrom: Date, daysTo: Date): Promise<OverviewRow> {
    const [row] = await this.dataSource.query<OverviewRow[]>(
      OVERVIEW_SQL,
      [from, to, daysFrom, daysTo].map((date) => date.toISOString()),
    );
    return row;
  }

  /** The series of `grain` per `interval` over the UTC days [from, to) (dates as YYYY-MM-DD). */
  series(grain: Grain, interval: Interval, from: string, to: string): Promise<SeriesRow[]> {
    return this.dataSource.query<SeriesRow[]>(seriesSql(grain, interval), [from, to]);
  }

  /** The names of these agencies, by id. */
  async agencyNames(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<{ id: string; name: string }[]>(
      'SELECT id::text, name FROM agencies WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** Moves up to `batch` pending deltas into the rollups (fold_rollups); returns how many it moved. */
  async fold(batch: number): Promise<number> {
    const [{ moved }] = await this.dataSource.query<{ moved: number }[]>('SELECT fold_rollups($1) AS moved', [batch]);
    return moved;
  }
}
