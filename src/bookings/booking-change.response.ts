import { ApiProperty } from '@nestjs/swagger';
import { BOOKING_STATUSES } from './booking-status.js';
import type { BookingChange } from './booking-change.entity.js';

const STATUSES = `One of ${BOOKING_STATUSES.join(', ')}`;

/** One entry of GET /bookings/:id/history. A field that did not change is null on both sides. */
export class BookingChangeResponse {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: "The token's sub (`local` in open mode, `system` for the API itself)" })
  actorSub: string;
  @ApiProperty({ enum: ['admin', 'agency', 'renter', 'open', 'system'] }) actorRole: string;
  @ApiProperty({ type: 'string', nullable: true, description: `${STATUSES}, or null on creation and when unchanged` })
  statusFrom: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: `${STATUSES}, or null when unchanged` })
  statusTo: string | null;
  @ApiProperty({ type: 'boolean', nullable: true }) paidFrom: boolean | null;
  @ApiProperty({ type: 'boolean', nullable: true }) paidTo: boolean | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Why, when it was said (a cancellation, `hold expired`)',
  })
  reason: string | null;
}

export function toBookingChangeResponse(change: BookingChange): BookingChangeResponse {
  return {
    at: change.at.toISOString(),
    actorSub: change.actorSub,
    actorRole: change.actorRole,
    statusFrom: change.statusFrom,
    statusTo: change.statusTo,
    paidFrom: change.paidFrom,
    paidTo: change.paidTo,
    reason: change.reason,
  };
}
