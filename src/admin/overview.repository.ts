import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface OverviewRow {
  by_status: Record<string, number> | null;
  revenue: string | null;
  booked_days: number;
  available_days: number;
  new_agencies: number;
  new_users: number;
  open_complaints: Record<string, number> | null;
  top_agencies: { agencyId: string; name: string; revenue: string }[] | null;
}

/**
 * The overview in one statement over [$1, $2). Each part reads only the period through an index:
 * bookings by creation (bookings.created_at), paid Completed bookings by end (bookings_paid_by_end),
 * bookings that hold or held a car by period (bookings_booked_period, GiST), cars by creation.
 */
const OVERVIEW_SQL = `
WITH period AS (SELECT $1::timestamptz AS lo, $2::timestamptz AS hi),
by_status AS (
  SELECT jsonb_object_agg(status, n) AS counts
    FROM (SELECT b.status, count(*)::int AS n FROM bookings b, period
           WHERE b.created_at >= period.lo AND b.created_at < period.hi GROUP BY b.status) s),
paid AS (
  SELECT c.agency_id, sum(b.total_price) AS amount
    FROM bookings b JOIN cars c ON c.id = b.car_id, period
   WHERE b.status = 'Completed' AND b.is_paid AND b.end_date >= period.lo AND b.end_date < period.hi
   GROUP BY c.agency_id),
booked AS (
  SELECT coalesce(sum(extract(epoch FROM least(b.end_date, period.hi) - greatest(b.start_date, period.lo))), 0) / 86400 AS days
    FROM bookings b, period
   WHERE b.status IN ('Confirmed', 'Completed')
     AND tstzrange(b.start_date, b.end_date, '[)') && tstzrange(period.lo, period.hi, '[)')),
fleet AS (
  SELECT coalesce(sum(extract(epoch FROM least(coalesce(c.deleted_at, period.hi), period.hi) - greatest(c.created_at, period.lo))), 0) / 86400 AS days
    FROM cars c, period
   WHERE c.created_at < period.hi AND (c.deleted_at IS NULL OR c.deleted_at > period.lo)),
complaints_open AS (
  SELECT jsonb_object_agg(priority, n) AS counts
    FROM (SELECT priority, count(*)::int AS n FROM complaints WHERE status IN ('open', 'in_review') GROUP BY priority) p),
top AS (
  SELECT jsonb_agg(jsonb_build_object('agencyId', t.agency_id, 'name', t.name, 'revenue', t.amount::text)
                   ORDER BY t.amount DESC, t.agency_id) AS agencies
    FROM (SELECT paid.agency_id, a.name, paid.amount FROM paid JOIN agencies a ON a.id = paid.agency_id
           ORDER BY paid.amount DESC, paid.agency_id LIMIT 10) t)
SELECT (SELECT counts FROM by_status) AS by_status,
       (SELECT sum(amount) FROM paid)::text AS revenue,
       (SELECT days FROM booked)::float8 AS booked_days,
       (SELECT days FROM fleet)::float8 AS available_days,
       (SELECT count(*)::int FROM agencies, period WHERE created_at >= period.lo AND created_at < period.hi) AS new_agencies,
       (SELECT count(*)::int FROM users, period WHERE first_seen_at >= period.lo AND first_seen_at < period.hi) AS new_users,
       (SELECT counts FROM complaints_open) AS open_complaints,
       (SELECT agencies FROM top) AS top_agencies`;

/** The SQL of the admin team's overview. */
@Injectable()
export class OverviewRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The overview of [from, to) in one statement. */
  async overview(from: Date, to: Date): Promise<OverviewRow> {
    const [row] = await this.dataSource.query<OverviewRow[]>(OVERVIEW_SQL, [from.toISOString(), to.toISOString()]);
    return row;
  }
}
