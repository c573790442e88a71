import type { AtomicWrite } from '../database/atomic-write.js';
import type { BookingResponse } from './booking.response.js';

/**
 * Emitted with `emitAsync` before the booking is written: listeners add their rows to `write`
 * (a notification), which stores them with the booking in one statement, or none of them.
 */
export class BookingCreatedEvent {
  static readonly eventName = 'booking.created';
  constructor(
    readonly write: AtomicWrite,
    readonly booking: BookingResponse,
    /** The car's agency: who is told. */
    readonly agencyId: string,
  ) {}
}

/** Emitted inside the change's transaction, before `write` (its history entry) runs there. */
export class BookingStatusChangedEvent {
  static readonly eventName = 'booking.status-changed';
  constructor(
    readonly write: AtomicWrite,
    readonly booking: BookingResponse,
    readonly previousStatus: string,
    readonly agencyId: string,
  ) {}
}
