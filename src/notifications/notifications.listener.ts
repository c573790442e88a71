import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { BookingCreatedEvent, BookingStatusChangedEvent } from '../bookings/booking.events.js';
import { ReviewCreatedEvent } from '../reviews/review-created.event.js';
import { NotificationsService } from './notifications.service.js';

/**
 * Turns domain events into stored notifications. The events are emitted inside
 * the transaction that raised them, and an error here is NOT swallowed: a
 * booking whose notification cannot be stored rolls back, so nothing is lost.
 */
@Injectable()
export class NotificationsListener {
  constructor(private readonly notifications: NotificationsService) {}

  @OnEvent(BookingCreatedEvent.eventName, { suppressErrors: false })
  async onBookingCreated({ manager, booking }: BookingCreatedEvent): Promise<void> {
    await this.notifications.raise(manager, {
      type: 'BOOKING',
      title: 'New Booking',
      message: `New booking request for ${booking.carId}`,
      data: { booking },
    });
  }

  @OnEvent(BookingStatusChangedEvent.eventName, { suppressErrors: false })
  async onBookingStatusChanged({ manager, booking }: BookingStatusChangedEvent): Promise<void> {
    await this.notifications.raise(manager, {
      type: 'BOOKING',
      title: 'Booking Updated',
      message: `Booking #${booking.id} status changed to ${booking.status}`,
      data: { booking },
    });
  }

  @OnEvent(ReviewCreatedEvent.eventName, { suppressErrors: false })
  async onReviewCreated({ manager, review }: ReviewCreatedEvent): Promise<void> {
    await this.notifications.raise(manager, {
      type: 'REVIEW',
      title: 'New Review',
      message: `New ${review.rating}-star review for car ${review.carId}`,
      data: { review },
    });
  }
}
