import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.query.js';
import { ToBoolean } from '../../common/transforms.js';

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
}
