import type { Notice } from '../notifications/notice.js';
import type { BookingResponse } from './booking.response.js';

const carName = ({ car }: BookingResponse) => `${car.make} ${car.model}`;

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
    text: {
      kind: 'booking.created',
      params: { car: carName(booking), start: booking.startDate, end: booking.endDate, renter: booking.renter.name },
    },
    data: { booking },
  };
}

export function bookingStatusNotice(booking: BookingResponse, agencyId: string, reason?: string | null): Notice {
  return {
    agencyId,
    type: 'BOOKING',
    category: 'booking',
    link: `/bookings/${booking.id}`,
    text: {
      kind: 'booking.updated',
      params: { car: carName(booking), renter: booking.renter.name, status: booking.status, reason },
    },
    data: { booking, ...(reason ? { reason } : {}) },
  };
}

/** The renter's own: their booking moved (by the agency, the admin or the system). */
export function renterStatusNotice(booking: BookingResponse, agencyId: string, reason?: string | null): Notice {
  return {
    agencyId,
    recipientSub: booking.renter.id,
    type: 'BOOKING',
    category: 'booking',
    link: `/bookings/${booking.id}`,
    text: {
      kind: 'booking.yours',
      params: { car: carName(booking), start: booking.startDate, end: booking.endDate, status: booking.status, reason },
    },
    data: { booking, ...(reason ? { reason } : {}) },
  };
}
