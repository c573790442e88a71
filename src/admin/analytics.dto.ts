import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

export const INTERVALS = ['day', 'week', 'month'] as const;
export const BREAKDOWNS = ['type', 'agency'] as const;

export class OverviewQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start of the period (default: 30 days before `to`)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the period, exclusive (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class SeriesQuery {
  @ApiPropertyOptional({
    format: 'date',
    description: 'First UTC day (a time is rounded down to its day; default: 12 months before `to`)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be a date (YYYY-MM-DD) or an ISO 8601 time' })
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'The UTC day after the last one (a time is rounded up to the next day; default: tomorrow)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be a date (YYYY-MM-DD) or an ISO 8601 time' })
  to?: string;

  @ApiPropertyOptional({ enum: INTERVALS, default: 'month', description: 'UTC days, weeks from Monday, months' })
  @IsOptional()
  @IsIn(INTERVALS, { message: `interval must be one of ${INTERVALS.join(', ')}` })
  interval: (typeof INTERVALS)[number] = 'month';

  @ApiPropertyOptional({ enum: BREAKDOWNS, description: 'A series per car type or per agency as well' })
  @IsOptional()
  @IsIn(BREAKDOWNS, { message: `by must be one of ${BREAKDOWNS.join(', ')}` })
  by?: (typeof BREAKDOWNS)[number];
}

export class SeriesPoint {
  @ApiProperty({ format: 'date', description: 'First UTC day of the period' }) start: string;
  @ApiProperty({ format: 'date', description: 'The UTC day after its last one' }) end: string;
  @ApiProperty({ type: 'integer', description: 'Bookings created in the period' }) bookingsCreated: number;
  @ApiProperty({ description: 'Total price of paid, Completed bookings that ended in the period' }) revenue: number;
  @ApiProperty({ type: 'integer', description: 'Accounts first seen in the period (the platform series only)' })
  newAccounts: number;
  @ApiProperty({ description: 'Booked car-days over car-days of the cars that existed, 0..1', minimum: 0, maximum: 1 })
  occupancy: number;
  @ApiProperty() bookedCarDays: number;
  @ApiProperty() availableCarDays: number;
}

export class SeriesGroup {
  @ApiProperty({ description: 'The car type, or the agency id' }) key: string;
  @ApiProperty({ description: "The car type, or the agency's name" }) label: string;
  @ApiProperty({ type: [SeriesPoint] }) points: SeriesPoint[];
}

export class SeriesResponse {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({ enum: INTERVALS }) interval: string;
  @ApiProperty({ type: [SeriesPoint], description: 'The platform, one point per period' }) points: SeriesPoint[];
  @ApiPropertyOptional({ type: [SeriesGroup], description: 'With `by`: one series per car type or agency' })
  groups?: SeriesGroup[];
}
