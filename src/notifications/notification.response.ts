import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Locale } from '../config/locale.js';
import { wordStored } from './notice-texts.js';
import {
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_TYPES,
  type Notification,
  type NotificationCategory,
  type NotificationType,
} from './notification.entity.js';

export class NotificationResponse {
  @ApiProperty({ description: 'Increasing sequence number, also the SSE event id' }) id: string;
  @ApiProperty({
    format: 'uuid',
    type: 'string',
    nullable: true,
    description: 'The agency it concerns; null only for the admin team’s own (token mode)',
  })
  agencyId: string | null;
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type: NotificationType;
  @ApiProperty({ enum: NOTIFICATION_CATEGORIES, description: 'What it is about (an addition to `type`)' })
  category: NotificationCategory;
  @ApiProperty({ example: '/bookings/5f0c…', description: "The API path of what it is about; '' when none" })
  link: string;
  @ApiProperty({ description: "In the reader's language (profile, token's locale claim, DEFAULT_LOCALE)" })
  title: string;
  @ApiProperty({ description: "In the reader's language" }) message: string;
  @ApiProperty() isRead: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: '{ booking }, { review }, { complaint }, …: the object it is about',
  })
  data?: Record<string, unknown>;
}

/** `row` as `locale`'s reader sees it: its title and message worded in their language. */
export function toNotificationResponse(row: Notification, locale: Locale): NotificationResponse {
  return {
    id: String(row.id),
    agencyId: row.agencyId,
    type: row.type,
    category: row.category,
    link: row.link,
    ...wordStored(row, locale),
    isRead: row.isRead,
    createdAt: row.createdAt.toISOString(),
    ...(row.data ? { data: row.data } : {}),
  };
}
