import { describe, expect, it } from '@jest/globals';
import { BOOKING_STATUSES, bookingPrice, canTransition, rentalDays, type BookingStatus } from './booking-status.js';

describe('booking status machine', () => {
  const legal: [BookingStatus, BookingStatus][] = [
    ['Pending', 'Confirmed'],
    ['Pending', 'Rejected'],
    ['Pending', 'Cancelled'],
    ['Confirmed', 'Completed'],
    ['Confirmed', 'Cancelled'],
  ];

  it.each(legal)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  const illegal = BOOKING_STATUSES.flatMap((from) =>
    BOOKING_STATUSES.filter((to) => !legal.some(([a, b]) => a === from && b === to)).map((to) => [from, to] as const),
  );

  it.each(illegal)('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('leaves Completed, Cancelled and Rejected final', () => {
    for (const status of ['Completed', 'Cancelled', 'Rejected'] as const) {
      expect(BOOKING_STATUSES.filter((to) => canTransition(status, to))).toEqual([]);
    }
  });
});

describe('booking price', () => {
  const at = (iso: string) => new Date(iso);

  it('counts started 24-hour periods', () => {
    expect(rentalDays(at('2026-12-01T10:00:00Z'), at('2026-12-02T10:00:00Z'))).toBe(1);
    expect(rentalDays(at('2026-12-01T10:00:00Z'), at('2026-12-02T10:00:01Z'))).toBe(2);
    expect(rentalDays(at('2026-12-01T10:00:00Z'), at('2026-12-01T11:00:00Z'))).toBe(1);
    expect(rentalDays(at('2026-12-01T00:00:00Z'), at('2026-12-08T00:00:00Z'))).toBe(7);
  });

  it('multiplies the daily price without floating-point noise', () => {
    expect(bookingPrice(45.1, at('2026-12-01T10:00:00Z'), at('2026-12-04T10:00:00Z'))).toBe(135.3);
    expect(bookingPrice(19.99, at('2026-12-01T10:00:00Z'), at('2026-12-01T12:00:00Z'))).toBe(19.99);
  });
});
