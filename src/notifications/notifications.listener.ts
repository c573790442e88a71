import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { BookingCreatedEvent, BookingStatusChangedEvent } from '../bookings/booking.events.js';
import type { BookingResponse } from '../bookings/booking.response.js';
import { ReviewCreatedEvent } from '../reviews/review-created.event.js';
import { NotificationsService } from './notifications.service.js';

const carName = ({ car }: BookingResponse) => `${car.make} ${car.model}`;
/** One formatter for every message: toLocaleDateString builds a new one per call (it showed in profiles). */
const DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const day = (iso: string) => DAY.format(new Date(iso));
/** "Dec 1 – Dec 4": what a person reads; the exact instants are in `data`. */
const dateRange = ({ startDate, endDate }: BookingResponse) => `${day(startDate)} – ${day(endDate)}`;

/**
 * Messages name what the person knows (car, dates, renter), never ids: the ids stay in `data`.
 * Turns domain events into stored notifications: each adds its row to the event's write, so it
 * commits with the booking or review or not at all, and an error here is NOT swallowed (the write
 * does not happen), so nothing is lost.
 */
@Injectable()
export class NotificationsListener {
  constructor(private readonly notifications: NotificationsService) {}

  @OnEvent(BookingCreatedEvent.eventName, { suppressErrors: false })
  onBookingCreated({ write, booking, agencyId }: BookingCreatedEvent): void {
    this.notifications.raise(write, {
      agencyId,
      type: 'BOOKING',
      title: 'New Booking',
      message: `New booking request for ${carName(booking)} (${dateRange(booking)}) from ${booking.renter.name}`,
      data: { booking },
    });
  }

  @OnEvent(BookingStatusChangedEvent.eventName, { suppressErrors: false })
  onBookingStatusChanged({ write, booking, agencyId }: BookingStatusChangedEvent): void {
    this.notifications.raise(write, {
      agencyId,
      type: 'BOOKING',
      title: 'Booking Updated',
      message: `Booking for ${carName(booking)} from ${booking.renter.name} is now ${booking.status}`,
      data: { booking },
    });
  }

  @OnEvent(ReviewCreatedEvent.eventName, { suppressErrors: false })
  onReviewCreated({ write, review, carName: car, agencyId }: ReviewCreatedEvent): void {
    this.notifications.raise(write, {
      agencyId,
      type: 'REVIEW',
      title: 'New Review',
      message: `New ${review.rating}-star review for ${car} from ${review.renterName}`,
      data: { review },
    });
  }
}
