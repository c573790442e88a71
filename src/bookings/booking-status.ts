export const BOOKING_STATUSES = ['Pending', 'Confirmed', 'Completed', 'Cancelled', 'Rejected'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses that hold the car: only these take part in the no-overlap constraint. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['Pending', 'Confirmed'];

const TRANSITIONS: Record<BookingStatus, readonly BookingStatus[]> = {
  Pending: ['Confirmed', 'Rejected', 'Cancelled'],
  Confirmed: ['Completed', 'Cancelled'],
  Completed: [],
  Cancelled: [],
  Rejected: [],
};

export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Number of started 24-hour periods between two instants (at least one). */
export function rentalDays(start: Date, end: Date): number {
  return Math.max(1, Math.ceil((end.getTime() - start.getTime()) / DAY_MS));
}

/** Price in the currency's minor unit arithmetic, rounded to cents. */
export function bookingPrice(pricePerDay: number, start: Date, end: Date): number {
  return Math.round(pricePerDay * 100 * rentalDays(start, end)) / 100;
}
