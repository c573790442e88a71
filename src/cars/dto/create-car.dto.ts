import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsOptional,
  IsUUID,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsMoney, IsOptionalNotNull, ToNumber, Trim } from '../../common/transforms.js';

const MAX_YEAR = new Date().getUTCFullYear() + 2;

/**
 * A car as the dashboard posts it. `id` and other read-only fields it sends
 * back are stripped by the global ValidationPipe (whitelist), not rejected.
 * No field has a default here: PartialType copies initializers, and a PATCH
 * must not reset what it does not mention. The service applies defaults.
 */
export class CreateCarDto {
  @ApiProperty({ example: 'Toyota', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  make: string;

  @ApiProperty({ example: 'Corolla', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  model: string;

  @ApiProperty({ type: 'integer', example: 2023, minimum: 1900, description: 'Up to two years from now' })
  @ToNumber()
  @IsInt()
  @Min(1900)
  @Max(MAX_YEAR)
  year: number;

  @ApiProperty({ example: 'Sedan', minLength: 1, maxLength: 50 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  type: string;

  @ApiProperty({ type: 'integer', example: 5, minimum: 1, maximum: 60 })
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(60)
  seats: number;

  @ApiProperty({ example: 'Hybrid', minLength: 1, maxLength: 50 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  fuelType: string;

  @ApiProperty({ example: 45.5, minimum: 0.01, maximum: 100000, multipleOf: 0.01 })
  @ToNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsMoney(100000)
  pricePerDay: number;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  available?: boolean;

  @ApiProperty({ example: 'Casablanca', minLength: 1, maxLength: 200 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  location: string;

  @ApiPropertyOptional({ default: '' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({
    type: [String],
    default: [],
    example: ['Bluetooth', 'GPS'],
    description: 'May contain "" from an empty form field',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  features?: string[];

  @ApiPropertyOptional({
    type: [String],
    default: [],
    example: ['/placeholder.svg?height=200&width=300'],
    description: 'URLs or relative paths',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  images?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The agency that owns the car: required from the admin; an agency token creates its own cars',
  })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}
