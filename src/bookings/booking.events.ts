import type { EntityManager } from 'typeorm';
import type { BookingResponse } from './booking.response.js';

/**
 * Emitted with `emitAsync` inside the booking's transaction: listeners write
 * through `manager`, so what they store commits or rolls back with the booking.
 */
export class BookingCreatedEvent {
  static readonly eventName = 'booking.created';
  constructor(
    readonly manager: EntityManager,
    readonly booking: BookingResponse,
    /** The car's agency: who is told. */
    readonly agencyId: string,
  ) {}
}

export class BookingStatusChangedEvent {
  static readonly eventName = 'booking.status-changed';
  constructor(
    readonly manager: EntityManager,
    readonly booking: BookingResponse,
    readonly previousStatus: string,
    readonly agencyId: string,
  ) {}
}
