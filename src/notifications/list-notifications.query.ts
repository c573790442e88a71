import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { PaginationQuery } from '../common/pagination.query.js';
import { ToBoolean } from '../common/transforms.js';

export class ListNotificationsQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'true: only unread notifications' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  unread?: boolean;
}
