import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/transforms.js';

export class CreateBookingMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'Can I pick the car up at 8 am?' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  content: string;
}
