import type { Notice } from '../realtime/outbox.js';
import type { ReviewResponse } from './review.response.js';

/** What the car's agency is told of a new review of `carName` ("Dacia Duster"). */
export function reviewCreatedNotice(review: ReviewResponse, carName: string, agencyId: string): Notice {
  return {
    agencyId,
    type: 'REVIEW',
    title: 'New Review',
    message: `New ${review.rating}-star review for ${carName} from ${review.renterName}`,
    data: { review },
  };
}
