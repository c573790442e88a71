import type { Notice } from '../notifications/notice.js';
import type { ReviewResponse } from './review.response.js';

/** What the car's agency is told of a new review of `carName` ("Dacia Duster"). */
export function reviewCreatedNotice(review: ReviewResponse, carName: string, agencyId: string): Notice {
  return {
    agencyId,
    type: 'REVIEW',
    category: 'review',
    link: `/reviews/${review.id}`,
    title: 'New Review',
    message: `New ${review.rating}-star review for ${carName} from ${review.renterName}`,
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
    title: 'Reply to Your Review',
    message: `The agency replied to your review of ${carName}: ${review.reply?.comment ?? ''}`,
    data: { review },
  };
}
