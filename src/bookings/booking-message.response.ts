import { ApiProperty } from '@nestjs/swagger';
import type { BookingMessage } from './booking-message.entity.js';

export class BookingMessageResponse {
  @ApiProperty({ description: 'Increasing in the order messages were written' }) id: string;
  @ApiProperty({ format: 'uuid' }) bookingId: string;
  @ApiProperty({ enum: ['renter', 'agency'] }) authorRole: string;
  @ApiProperty() authorName: string;
  @ApiProperty() content: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export function toBookingMessageResponse(message: BookingMessage): BookingMessageResponse {
  return {
    id: message.id,
    bookingId: message.bookingId,
    authorRole: message.authorRole,
    authorName: message.authorName,
    content: message.content,
    createdAt: message.createdAt.toISOString(),
  };
}
