import { Injectable } from '@nestjs/common';
import { actorStamp, isUser, type Actor } from '../access/actor.js';
import { policies } from '../access/policies.js';
import type { Page, PaginationQuery } from '../common/pagination.query.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { Transactions } from '../database/transactions.js';
import { addNotice, type Notice } from '../notifications/notice.js';
import { BookingMessage } from './booking-message.entity.js';
import { toBookingMessageResponse, type BookingMessageResponse } from './booking-message.response.js';
import type { Booking } from './booking.entity.js';
import { BookingsService } from './bookings.service.js';

/**
 * The thread of one booking between its renter and the car's agency, oldest first. The admin reads
 * every thread; only the two parties write. Each message notifies the other side through the outbox:
 * the agency as an ordinary notification on its dashboard, the renter on their own feed.
 */
@Injectable()
export class BookingThreads {
  constructor(
    private readonly transactions: Transactions,
    private readonly bookings: BookingsService,
  ) {}

  async list(bookingId: string, page: PaginationQuery, actor: Actor): Promise<Page<BookingMessageResponse>> {
    await this.bookings.load(this.transactions.manager, bookingId, actor);
    const [rows, total] = await this.transactions.manager.findAndCount(BookingMessage, {
      where: { bookingId },
      order: { id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items: rows.map(toBookingMessageResponse), total };
  }

  async post(bookingId: string, content: string, actor: Actor): Promise<BookingMessageResponse> {
    const booking = await this.bookings.load(this.transactions.manager, bookingId, actor);
    const agencyName = isUser(actor) ? actor.name : undefined;
    const fromRenter = policies.threadAuthor(actor) === 'renter';
    // The message and the other side's notification commit together.
    return this.transactions.run(async (manager) => {
      const message = await manager.save(
        manager.create(BookingMessage, {
          bookingId,
          authorSub: actorStamp(actor).sub,
          authorRole: fromRenter ? 'renter' : 'agency',
          authorName: fromRenter ? booking.renterName : (agencyName ?? 'The agency'),
          content,
        }),
      );
      const response = toBookingMessageResponse(message);
      const notice = messageNotice(booking, response, fromRenter);
      if (notice) await addNotice(new AtomicWrite(), notice).run(manager);
      return response;
    });
  }
}

/** What the other side is told; nothing for a walk-in renter, who has no feed. */
function messageNotice(booking: Booking, message: BookingMessageResponse, fromRenter: boolean): Notice | undefined {
  if (!fromRenter && !booking.renterAccount) return undefined;
  const car = `${booking.car.make} ${booking.car.model}`;
  return {
    agencyId: booking.car.agencyId,
    ...(fromRenter ? {} : { recipientSub: booking.renterId }),
    type: 'BOOKING',
    category: 'message',
    link: `/bookings/${booking.id}/messages`,
    text: {
      kind: 'booking.message',
      params: { car, renter: booking.renterName, content: message.content, fromRenter },
    },
    data: { bookingId: booking.id, message },
  };
}
