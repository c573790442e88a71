import type { Notice } from '../notifications/notice.js';
import type { BookingResponse } from './booking.response.js';

const carName = ({ car }: BookingResponse) => `${car.make} ${car.model}`;
/** One formatter for every message (building one per call is slow). */
const DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const day = (iso: string) => DAY.format(new Date(iso));
/** "Dec 1 – Dec 4": what a person reads; the exact instants are in `data`. */
const dateRange = ({ startDate, endDate }: BookingResponse) => `${day(startDate)} – ${day(endDate)}`;
const because = (reason?: string | null) => (reason ? ` (${reason})` : '');

/*
 * What each side is told, worded with what the person knows (car, dates, renter), never ids: the
 * ids stay in `data`. The car's agency gets the agency notice; a renter who booked with an account
 * gets the renter notice (addressed to them alone).
 */

export function bookingCreatedNotice(booking: BookingResponse, agencyId: string): Notice {
  return {
    agencyId,
    type: 'BOOKING',
    category: 'booking',
    link: `/bookings/${booking.id}`,
    title: 'New Booking',
    message: `New booking request for ${carName(booking)} (${dateRange(booking)}) from ${booking.renter.name}`,
    data: { booking },
  };
}

export function bookingStatusNotice(booking: BookingResponse, agencyId: string, reason?: string | null): Notice {
  return {
    agencyId,
    type: 'BOOKING',
    category: 'booking',
    link: `/bookings/${booking.id}`,
    title: 'Booking Updated',
    message: `Booking for ${carName(booking)} from ${booking.renter.name} is now ${booking.status}${because(reason)}`,
    data: { booking, ...(reason ? { reason } : {}) },
  };
}

const RENTER_TITLES: Partial<Record<BookingResponse['status'], string>> = {
  Confirmed: 'Booking Confirmed',
  Rejected: 'Booking Rejected',
  Cancelled: 'Booking Cancelled',
  Completed: 'Booking Completed',
};

/** The renter's own: their booking moved (by the agency, the admin or the system). */
export function renterStatusNotice(booking: BookingResponse, agencyId: string, reason?: string | null): Notice {
  return {
    agencyId,
    recipientSub: booking.renter.id,
    type: 'BOOKING',
    category: 'booking',
    link: `/bookings/${booking.id}`,
    title: RENTER_TITLES[booking.status] ?? 'Booking Updated',
    message: `Your booking of ${carName(booking)} (${dateRange(booking)}) is now ${booking.status}${because(reason)}`,
    data: { booking, ...(reason ? { reason } : {}) },
  };
}
