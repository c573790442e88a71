import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalNotNull, ToNumber, Trim } from '../../common/transforms.js';

export class UpdateReviewDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5 })
  @IsOptionalNotNull()
  @ToNumber()
  @IsInt({ message: 'rating must be a whole number from 1 to 5' })
  @Min(1)
  @Max(5)
  rating?: number;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(5000)
  comment?: string;
}

export class ReplyToReviewDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'Thank you, see you next time!' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  comment: string;
}

export class RemoveReviewQuery {
  @ApiPropertyOptional({ maxLength: 500, description: "Why (required of the admin's moderation)" })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason?: string;
}
