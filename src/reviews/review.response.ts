import { ApiProperty } from '@nestjs/swagger';
import type { Review } from './review.entity.js';

export interface ReviewReplyResponse {
  comment: string;
  createdAt: string;
}

export class ReviewResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) carId: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: 'string',
    description: 'The Completed booking a renter reviewed',
  })
  bookingId: string | null;
  @ApiProperty() renterId: string;
  @ApiProperty() renterName: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 }) rating: number;
  @ApiProperty() comment: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'Last edited (createdAt when never)' }) updatedAt: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { comment: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } },
    required: ['comment', 'createdAt'],
    description: "The car's agency's one reply",
  })
  reply: ReviewReplyResponse | null;
}

export function toReviewResponse(review: Review): ReviewResponse {
  return {
    id: review.id,
    carId: review.carId,
    bookingId: review.bookingId,
    renterId: review.renterId,
    renterName: review.renterName,
    rating: review.rating,
    comment: review.comment,
    createdAt: review.createdAt.toISOString(),
    updatedAt: review.updatedAt.toISOString(),
    reply:
      review.replyComment === null || !review.replyCreatedAt
        ? null
        : { comment: review.replyComment, createdAt: review.replyCreatedAt.toISOString() },
  };
}
