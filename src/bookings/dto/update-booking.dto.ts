import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { BOOKING_STATUSES, type BookingStatus } from '../booking-status.js';

export class UpdateBookingDto {
  @ApiPropertyOptional({
    enum: BOOKING_STATUSES,
    description: 'Pending → Confirmed | Rejected | Cancelled; Confirmed → Completed | Cancelled; the rest are final',
  })
  @IsOptional()
  @IsIn(BOOKING_STATUSES, { message: `status must be one of ${BOOKING_STATUSES.join(', ')}` })
  status?: BookingStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isPaid?: boolean;
}
