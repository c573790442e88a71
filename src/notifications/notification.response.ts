import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NOTIFICATION_TYPES, type Notification, type NotificationType } from './notification.entity.js';

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
  @ApiProperty() title: string;
  @ApiProperty() message: string;
  @ApiProperty() isRead: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: '{ booking }, { review }, { complaint }, …: the object it is about',
  })
  data?: Record<string, unknown>;
}

export function toNotificationResponse(row: Notification): NotificationResponse {
  return {
    id: String(row.id),
    agencyId: row.agencyId,
    type: row.type,
    title: row.title,
    message: row.message,
    isRead: row.isRead,
    createdAt: row.createdAt.toISOString(),
    ...(row.data ? { data: row.data } : {}),
  };
}
