import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/transforms.js';
import { BOOKING_STATUSES, type BookingStatus } from '../booking-status.js';

export const MAX_REASON_LENGTH = 500;

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

  @ApiPropertyOptional({
    maxLength: MAX_REASON_LENGTH,
    description: 'Why the status changes (a cancellation): kept in the history and told to the other side',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(MAX_REASON_LENGTH)
  reason?: string;
}
