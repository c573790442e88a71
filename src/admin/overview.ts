import { ApiProperty } from '@nestjs/swagger';
import { BOOKING_STATUSES, type BookingStatus } from '../bookings/booking-status.js';
import { COMPLAINT_PRIORITIES, type ComplaintPriority } from '../complaints/complaint.entity.js';

export class TopAgency {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() name: string;
  @ApiProperty() revenue: number;
}

export class OverviewResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(BOOKING_STATUSES.map((status) => [status, { type: 'integer' }])),
    description: 'Bookings created in the period, by status',
  })
  bookingsByStatus: Record<BookingStatus, number>;
  @ApiProperty({ description: 'Total price of paid, Completed bookings that ended in the period' }) revenue: number;
  @ApiProperty({
    description:
      'Booked car-days (Confirmed and Completed) over available car-days (cars that existed), in the period; 0..1',
  })
  occupancy: number;
  @ApiProperty() bookedCarDays: number;
  @ApiProperty() availableCarDays: number;
  @ApiProperty({ type: 'integer' }) newAgencies: number;
  @ApiProperty({ type: 'integer', description: 'Accounts first seen in the period' }) newUsers: number;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(COMPLAINT_PRIORITIES.map((priority) => [priority, { type: 'integer' }])),
    description: 'Complaints open or in review now, by priority',
  })
  openComplaints: Record<ComplaintPriority, number>;
  @ApiProperty({ type: [TopAgency], description: 'The ten agencies with the most revenue in the period' })
  topAgencies: TopAgency[];
}

interface OverviewRow {
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
export const OVERVIEW_SQL = `
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

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function toOverviewResponse(row: OverviewRow, from: Date, to: Date): OverviewResponse {
  const byStatus = Object.fromEntries(BOOKING_STATUSES.map((status) => [status, row.by_status?.[status] ?? 0]));
  const open = Object.fromEntries(
    COMPLAINT_PRIORITIES.map((priority) => [priority, row.open_complaints?.[priority] ?? 0]),
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bookingsByStatus: byStatus as Record<BookingStatus, number>,
    revenue: Number(row.revenue ?? 0),
    occupancy: row.available_days > 0 ? round(row.booked_days / row.available_days, 4) : 0,
    bookedCarDays: round(row.booked_days, 2),
    availableCarDays: round(row.available_days, 2),
    newAgencies: row.new_agencies,
    newUsers: row.new_users,
    openComplaints: open as Record<ComplaintPriority, number>,
    topAgencies: (row.top_agencies ?? []).map((agency) => ({ ...agency, revenue: Number(agency.revenue) })),
  };
}

export type { OverviewRow };
