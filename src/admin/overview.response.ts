import { ApiProperty } from '@nestjs/swagger';
import { BOOKING_STATUSES, type BookingStatus } from '../bookings/booking-status.js';
import { COMPLAINT_PRIORITIES, type ComplaintPriority } from '../complaints/complaint.entity.js';
import type { OverviewRow } from './overview.repository.js';

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

const SECONDS_PER_DAY = 86_400;
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function toOverviewResponse(row: OverviewRow, from: Date, to: Date): OverviewResponse {
  const booked = Number(row.booked_seconds ?? 0) / SECONDS_PER_DAY;
  const available = Number(row.available_seconds ?? 0) / SECONDS_PER_DAY;
  const byStatus = Object.fromEntries(BOOKING_STATUSES.map((status) => [status, row.by_status?.[status] ?? 0]));
  const open = Object.fromEntries(
    COMPLAINT_PRIORITIES.map((priority) => [priority, row.open_complaints?.[priority] ?? 0]),
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bookingsByStatus: byStatus as Record<BookingStatus, number>,
    revenue: Number(row.revenue ?? 0),
    occupancy: available > 0 ? round(booked / available, 4) : 0,
    bookedCarDays: round(booked, 2),
    availableCarDays: round(available, 2),
    newAgencies: row.new_agencies,
    newUsers: row.new_users,
    openComplaints: open as Record<ComplaintPriority, number>,
    topAgencies: (row.top_agencies ?? []).map((agency) => ({ ...agency, revenue: Number(agency.revenue) })),
  };
}
