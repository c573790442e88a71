import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalNotNull, ToNumber, Trim } from '../../common/transforms.js';

export class CreateReviewDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'carId must be a UUID' })
  carId: string;

  @ApiPropertyOptional({
    example: 'renter-42',
    minLength: 1,
    maxLength: 100,
    description: 'Required in open mode; in token mode the author is the token (a renter, or the admin team)',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  renterId?: string;

  @ApiPropertyOptional({
    example: 'Youssef B.',
    minLength: 1,
    maxLength: 200,
    description: "Required in open mode; in token mode the token's name when it has one",
  })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  renterName?: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 5 })
  @ToNumber()
  @IsInt({ message: 'rating must be a whole number from 1 to 5' })
  @Min(1)
  @Max(5)
  rating: number;

  @ApiPropertyOptional({ default: '', maxLength: 5000 })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(5000)
  comment?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A renter's Completed booking of this car that the review is about (any unreviewed one when absent)",
  })
  @IsOptional()
  @IsUUID('all', { message: 'bookingId must be a UUID' })
  bookingId?: string;
}
