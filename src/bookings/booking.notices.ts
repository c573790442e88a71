import type { Notice } from '../realtime/outbox.js';
import type { BookingResponse } from './booking.response.js';

const carName = ({ car }: BookingResponse) => `${car.make} ${car.model}`;
/** One formatter for every message (building one per call is slow). */
const DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const day = (iso: string) => DAY.format(new Date(iso));
/** "Dec 1 – Dec 4": what a person reads; the exact instants are in `data`. */
const dateRange = ({ startDate, endDate }: BookingResponse) => `${day(startDate)} – ${day(endDate)}`;

/*
 * What the car's agency is told, worded with what the person knows (car, dates, renter), never ids:
 * the ids stay in `data`.
 */

export function bookingCreatedNotice(booking: BookingResponse, agencyId: string): Notice {
  return {
    agencyId,
    type: 'BOOKING',
    title: 'New Booking',
    message: `New booking request for ${carName(booking)} (${dateRange(booking)}) from ${booking.renter.name}`,
    data: { booking },
  };
}

export function bookingStatusNotice(booking: BookingResponse, agencyId: string): Notice {
  return {
    agencyId,
    type: 'BOOKING',
    title: 'Booking Updated',
    message: `Booking for ${carName(booking)} from ${booking.renter.name} is now ${booking.status}`,
    data: { booking },
  };
}
