import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { NOTIFICATION_CATEGORIES, type NotificationCategory } from './notification.entity.js';
import { PaginationQuery } from '../common/pagination.query.js';
import { ToBoolean } from '../common/transforms.js';

export class ListNotificationsQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'true: only unread notifications' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ enum: NOTIFICATION_CATEGORIES, description: 'Only notifications of this category' })
  @IsOptional()
  @IsIn(NOTIFICATION_CATEGORIES, { message: `category must be one of ${NOTIFICATION_CATEGORIES.join(', ')}` })
  category?: NotificationCategory;
}
