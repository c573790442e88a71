import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PaginationQuery } from '../../common/pagination.query.js';
import { ToBoolean, ToNumber, Trim } from '../../common/transforms.js';

export const CAR_SORTS = ['price', '-price', 'rating', '-createdAt'] as const;
export type CarSort = (typeof CAR_SORTS)[number];

export class ListCarsQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this agency's cars" })
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ description: 'Only cars with this availability flag' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  available?: boolean;

  @ApiPropertyOptional({ description: 'Case-insensitive exact location' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive exact type, e.g. SUV' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  type?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'With `to`: only cars with no Pending/Confirmed booking overlapping [from, to)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    description:
      "Words to find in make, model, type, location, description or the agency's name (each word; case- and accent-insensitive)",
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Lowest price per day' })
  @IsOptional()
  @ToNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'priceMin must be a number' })
  @Min(0)
  priceMin?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Highest price per day' })
  @IsOptional()
  @ToNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'priceMax must be a number' })
  @Min(0)
  priceMax?: number;

  @ApiPropertyOptional({ description: 'Case-insensitive exact fuel type, e.g. Hybrid' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  fuelType?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'At least this many seats' })
  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(100)
  seatsMin?: number;

  @ApiPropertyOptional({
    enum: CAR_SORTS,
    default: '-createdAt',
    description:
      'price: cheapest first; -price: dearest first; rating: best rated first (unrated last); -createdAt: newest first. Ties by id',
  })
  @IsOptional()
  @IsIn(CAR_SORTS, { message: `sort must be one of ${CAR_SORTS.join(', ')}` })
  sort?: CarSort;
}
