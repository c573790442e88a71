import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.query.js';
import { ToBoolean } from '../../common/transforms.js';

export class ListReviewsQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'carId must be a UUID' })
  carId?: string;

  @ApiPropertyOptional({ description: "A renter's own reviews only (renters)" })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  mine?: boolean;
}
