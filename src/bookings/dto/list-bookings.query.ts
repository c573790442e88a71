import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.query.js';
import { BOOKING_STATUSES, type BookingStatus } from '../booking-status.js';

export class ListBookingsQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'carId must be a UUID' })
  carId?: string;

  @ApiPropertyOptional({ enum: BOOKING_STATUSES })
  @IsOptional()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only bookings that end after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only bookings that start before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
