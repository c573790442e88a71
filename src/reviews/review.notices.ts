import type { Notice } from '../notifications/notice.js';
import type { ReviewResponse } from './review.response.js';

/** What the car's agency is told of a new review of `carName` ("Dacia Duster"). */
export function reviewCreatedNotice(review: ReviewResponse, carName: string, agencyId: string): Notice {
  return {
    agencyId,
    type: 'REVIEW',
    category: 'review',
    link: `/reviews/${review.id}`,
    text: { kind: 'review.created', params: { car: carName, renter: review.renterName, rating: review.rating } },
    data: { review },
  };
}

/** What the renter who wrote `review` is told when the car's agency replies. */
export function replyNotice(review: ReviewResponse, carName: string, agencyId: string): Notice {
  return {
    agencyId,
    recipientSub: review.renterId,
    type: 'REVIEW',
    category: 'review',
    link: `/reviews/${review.id}`,
    text: { kind: 'review.reply', params: { car: carName, reply: review.reply?.comment ?? '' } },
    data: { review },
  };
}
