import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

/** A car's calendar: the period asked for, at most MAX_CALENDAR_DAYS long. */
export class AvailabilityQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start of the period (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date' })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'End of the period, exclusive (default: 90 days after `from`; at most 366 days after it)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date' })
  to?: string;
}

export class HeldPeriod {
  @ApiProperty({ format: 'date-time' }) startDate: string;
  @ApiProperty({ format: 'date-time' }) endDate: string;
}

export class AvailabilityResponse {
  @ApiProperty({ format: 'uuid' }) carId: string;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({
    type: [HeldPeriod],
    description: 'The periods the car is held (Pending and Confirmed bookings) that overlap [from, to), in order',
  })
  held: HeldPeriod[];
}
