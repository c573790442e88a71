import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.query.js';

export class ListReviewsQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'carId must be a UUID' })
  carId?: string;
}
