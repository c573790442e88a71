import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Trim } from '../../common/transforms.js';

export class RenterDto {
  @ApiPropertyOptional({ description: 'Kept when given; generated otherwise' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  id?: string;

  @ApiProperty({ example: 'Amina El Idrissi', minLength: 1, maxLength: 200 })
  @Trim()
  @IsDefined({ message: '$property is required' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'amina@example.com', format: 'email' })
  @Trim()
  @IsDefined({ message: '$property is required' })
  @IsEmail()
  @MaxLength(320)
  email: string;
}

export class CreateBookingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'carId must be a UUID' })
  carId: string;

  @ApiProperty({ example: '2027-03-01T10:00:00.000Z', format: 'date-time' })
  @IsISO8601({ strict: true }, { message: 'startDate must be an ISO 8601 date' })
  startDate: string;

  @ApiProperty({ example: '2027-03-04T10:00:00.000Z', format: 'date-time', description: 'Must be after startDate' })
  @IsISO8601({ strict: true }, { message: 'endDate must be an ISO 8601 date' })
  endDate: string;

  @ApiPropertyOptional({
    type: RenterDto,
    description:
      "Who the booking is for: required, except for a renter's own booking (their token names them; given, " +
      'its name and email stand in for what the token lacks)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RenterDto)
  renter?: RenterDto;

  @ApiPropertyOptional({
    type: Number,
    description: 'Ignored: the server computes totalPrice as pricePerDay × started 24-hour periods',
    deprecated: true,
  })
  @IsOptional()
  totalPrice?: unknown;
}
