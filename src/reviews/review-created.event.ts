import type { EntityManager } from 'typeorm';
import type { ReviewResponse } from './review.response.js';

/** Emitted with `emitAsync` inside the review's transaction (see BookingCreatedEvent). */
export class ReviewCreatedEvent {
  static readonly eventName = 'review.created';
  constructor(
    readonly manager: EntityManager,
    readonly review: ReviewResponse,
    /** What a person calls the car: "Dacia Duster". */
    readonly carName: string,
    /** The car's agency: who is told. */
    readonly agencyId: string,
  ) {}
}
