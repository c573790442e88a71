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
 * Turns domain events into stored notifications. The events are emitted inside
 * the transaction that raised them, and an error here is NOT swallowed: a
 * booking whose notification cannot be stored rolls back, so nothing is lost.
 */
@Injectable()
export class NotificationsListener {
  constructor(private readonly notifications: NotificationsService) {}

  @OnEvent(BookingCreatedEvent.eventName, { suppressErrors: false })
  async onBookingCreated({ manager, booking, agencyId }: BookingCreatedEvent): Promise<void> {
    await this.notifications.raise(manager, {
      agencyId,
      type: 'BOOKING',
      title: 'New Booking',
      message: `New booking request for ${carName(booking)} (${dateRange(booking)}) from ${booking.renter.name}`,
      data: { booking },
    });
  }

  @OnEvent(BookingStatusChangedEvent.eventName, { suppressErrors: false })
  async onBookingStatusChanged({ manager, booking, agencyId }: BookingStatusChangedEvent): Promise<void> {
    await this.notifications.raise(manager, {
      agencyId,
      type: 'BOOKING',
      title: 'Booking Updated',
      message: `Booking for ${carName(booking)} from ${booking.renter.name} is now ${booking.status}`,
      data: { booking },
    });
  }

  @OnEvent(ReviewCreatedEvent.eventName, { suppressErrors: false })
  async onReviewCreated({ manager, review, carName: car, agencyId }: ReviewCreatedEvent): Promise<void> {
    await this.notifications.raise(manager, {
      agencyId,
      type: 'REVIEW',
      title: 'New Review',
      message: `New ${review.rating}-star review for ${car} from ${review.renterName}`,
      data: { review },
    });
  }
}
