import type { AtomicWrite } from '../database/atomic-write.js';
import type { ReviewResponse } from './review.response.js';

/** Emitted inside the review's transaction, before `write` runs there (see BookingCreatedEvent). */
export class ReviewCreatedEvent {
  static readonly eventName = 'review.created';
  constructor(
    readonly write: AtomicWrite,
    readonly review: ReviewResponse,
    /** What a person calls the car: "Dacia Duster". */
    readonly carName: string,
    /** The car's agency: who is told. */
    readonly agencyId: string,
  ) {}
}
