import { ApiProperty } from '@nestjs/swagger';
import type { Car } from '../cars/car.entity.js';
import type { Review } from './review.entity.js';

/** What a review shows of its car. */
export type ReviewCar = Pick<Car, 'id' | 'make' | 'model' | 'images'>;

class ReviewCarResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() make: string;
  @ApiProperty() model: string;
  @ApiProperty({ type: [String] }) images: string[];
}

export interface ReviewReplyResponse {
  comment: string;
  createdAt: string;
}

export class ReviewResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) carId: string;
  @ApiProperty({ type: ReviewCarResponse, description: 'The car reviewed, in short' }) car: ReviewCarResponse;
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

/** `car` is the review's car (deleted or not); a list passes each review's loaded `car`. */
export function toReviewResponse(review: Review, car: ReviewCar | undefined = review.car): ReviewResponse {
  if (!car) throw new Error(`The car of review ${review.id} is not loaded`);
  return {
    id: review.id,
    carId: review.carId,
    car: { id: car.id, make: car.make, model: car.model, images: car.images },
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
