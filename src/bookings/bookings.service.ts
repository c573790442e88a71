import { randomUUID } from 'node:crypto';
import { DocumentsService } from '../documents/documents.service.js';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { actorStamp, type Actor, type User } from '../access/actor.js';
import { policies } from '../access/policies.js';
import type { Environment } from '../config/environment.js';
import { CarsService } from '../cars/cars.service.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { TableChanges } from '../database/table-changes.js';
import { Transactions } from '../database/transactions.js';
import { addNotice } from '../notifications/notice.js';
import type { Page } from '../common/pagination.query.js';
import { bookingCreatedNotice, bookingStatusNotice, renterStatusNotice } from './booking.notices.js';
import { Booking } from './booking.entity.js';
import { BookingChange } from './booking-change.entity.js';
import { toBookingChangeResponse, type BookingChangeResponse } from './booking-change.response.js';
import { toBookingResponse, type BookingResponse } from './booking.response.js';
import { bookingPrice, canTransition, type BookingStatus } from './booking-status.js';
import { BookingsRepository } from './bookings.repository.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';
import type { ListBookingsQuery } from './dto/list-bookings.query.js';
import type { UpdateBookingDto } from './dto/update-booking.dto.js';
import { Conflict, InvalidInput, NotFound } from '../common/domain-errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Renter {
  id: string;
  name: string;
  email: string;
  /** Booking with their own token (`id` is their `sub`). */
  account: boolean;
}

/** A booking request whose dates passed the checks. */
interface BookingRequest {
  dto: CreateBookingDto;
  startDate: Date;
  endDate: Date;
}
/** Tries of a booking whose car changed between its read and its write (each after a fresh read). */
const CAR_READ_ATTEMPTS = 3;

@Injectable()
export class BookingsService {
  private readonly maxBookingDays: number;
  private readonly maxAdvanceDays: number;
  private readonly maxOpenPerRenter: number;
  private readonly requireVerified: boolean;

  constructor(
    private readonly bookings: BookingsRepository,
    private readonly transactions: Transactions,
    private readonly cars: CarsService,
    private readonly changes: TableChanges,
    private readonly documents: DocumentsService,
    config: ConfigService<Environment, true>,
  ) {
    this.maxBookingDays = config.get('MAX_BOOKING_DAYS', { infer: true });
    this.maxAdvanceDays = config.get('MAX_BOOKING_ADVANCE_DAYS', { infer: true });
    this.maxOpenPerRenter = config.get('MAX_OPEN_BOOKINGS_PER_RENTER', { infer: true });
    this.requireVerified = config.get('REQUIRE_VERIFIED_RENTERS', { infer: true });
  }

  /** A renter sees its own bookings, an agency its cars', the admin (and open mode) all. */
  async list(query: ListBookingsQuery, actor: Actor): Promise<Page<BookingResponse>> {
    const { items, total } = await this.bookings.list(this.transactions.manager, policies.bookings(actor), query);
    return { items: items.map(toBookingResponse), total };
  }

  async findOne(id: string, actor: Actor): Promise<BookingResponse> {
    return toBookingResponse(await this.load(this.transactions.manager, id, actor));
  }

  /** Every change of the booking, its creation first, with who made it. */
  async history(id: string, actor: Actor): Promise<BookingChangeResponse[]> {
    const manager = this.transactions.manager;
    await this.load(manager, id, actor);
    return (await this.bookings.history(manager, id)).map(toBookingChangeResponse);
  }

  /**
   * Creates a Pending booking priced by the server, in one statement (a renter's: in a transaction
   * that holds that renter's lock, see below): the car is
   * read first (usually from this process's CarSnapshots), then the booking, its first history entry
   * and the agency's notification (the outbox row) are written together, only if the car is still as
   * read, and it stays locked FOR SHARE until they commit (CarsRepository.unchanged). A car changed
   * meanwhile means a fresh read and another try. Overlaps are refused by the database's exclusion
   * constraint, so concurrent requests cannot both win.
   * A renter books as itself (its token names the renter), at most MAX_OPEN_BOOKINGS_PER_RENTER open
   * bookings at once; an agency only its own cars, for a walk-in renter who has no account here.
   */
  async create(dto: CreateBookingDto, actor: Actor): Promise<BookingResponse> {
    const startDate = new Date(dto.startDate);
    const endDate = new Date(dto.endDate);
    if (endDate <= startDate) throw new InvalidInput('endDate must be after startDate');
    if (endDate.getTime() <= Date.now()) throw new InvalidInput('endDate must be in the future');
    // A day of grace: "today" in the renter's time zone may already be yesterday in UTC.
    if (startDate.getTime() < Date.now() - DAY_MS) throw new InvalidInput('startDate must not be in the past');
    if (endDate.getTime() - startDate.getTime() > this.maxBookingDays * DAY_MS) {
      throw new InvalidInput(`A booking may last at most ${this.maxBookingDays} days`);
    }
    if (startDate.getTime() > Date.now() + this.maxAdvanceDays * DAY_MS) {
      throw new InvalidInput(`startDate must be at most ${this.maxAdvanceDays} days ahead`);
    }
    const period: BookingRequest = { dto, startDate, endDate };
    const created = policies.booksAsRenter(actor)
      ? await this.createForRenter(period, actor)
      : await this.write(this.transactions.manager, { ...period, renter: walkIn(dto, actor) }, actor);
    this.changes.committed('bookings');
    return created;
  }

  /**
   * A renter's own booking, at most MAX_OPEN_BOOKINGS_PER_RENTER open at once: that renter's bookings
   * are made one after another (a lock of its own), so that the limit holds under concurrency.
   */
  private async createForRenter(period: BookingRequest, actor: User): Promise<BookingResponse> {
    if (this.requireVerified && !(await this.documents.isVerified(this.transactions.manager, actor))) {
      throw new Conflict(
        'Only a verified renter may book: send your driving licence (POST /users/me/documents) and wait for its approval',
      );
    }
    const renter = {
      id: actor.sub,
      name: actor.name ?? period.dto.renter?.name ?? actor.sub,
      email: actor.email ?? period.dto.renter?.email ?? '',
      account: true,
    };
    return this.transactions.run(async (manager) => {
      await this.bookings.lockRenter(manager, actor.sub);
      const open = await this.bookings.countOpen(manager, actor.sub);
      if (open >= this.maxOpenPerRenter) {
        throw new Conflict(
          `You already hold ${open} open bookings (Pending or Confirmed, not yet ended): at most ${this.maxOpenPerRenter}`,
        );
      }
      return this.write(manager, { ...period, renter }, actor);
    });
  }

  /**
   * The booking, its first history entry and its notification in one statement, only if the car is
   * still as read; a car changed meanwhile means a fresh read and another try.
   */
  private async write(
    manager: EntityManager,
    { dto, startDate, endDate, renter }: BookingRequest & { renter: Renter },
    actor: Actor,
  ): Promise<BookingResponse> {
    for (let attempt = 1; ; attempt++) {
      const car = await this.cars.forBooking(dto.carId, actor, attempt > 1);
      const now = new Date();
      const booking = {
        id: randomUUID(),
        carId: car.id,
        startDate,
        endDate,
        renterId: renter.id,
        renterName: renter.name,
        renterEmail: renter.email,
        renterAccount: renter.account,
        status: 'Pending' as const,
        totalPrice: bookingPrice(car.pricePerDay, startDate, endDate),
        isPaid: false,
        createdAt: now,
        updatedAt: now,
      };
      const response = toBookingResponse({ ...booking, car });
      const write = new AtomicWrite()
        .onlyIf(this.cars.unchanged(car))
        .insert(Booking, booking)
        .insert(BookingChange, change(booking.id, actor, { statusTo: booking.status, paidTo: booking.isPaid }));
      addNotice(write, bookingCreatedNotice(response, car.agencyId));
      // An overlap violates bookings_no_overlap: the exception filter answers 409.
      if (await write.run(manager)) return response;
      if (attempt === CAR_READ_ATTEMPTS) {
        throw new Conflict('The car changed while it was being booked; please try again');
      }
    }
  }

  /**
   * Changes status (along the state machine) and/or the paid flag, with an optional reason. A renter
   * may only cancel their own booking, before it starts. The car's agency is told of every status
   * change, and a renter who booked with an account of every change they did not make themselves.
   */
  async update(id: string, dto: UpdateBookingDto, actor: Actor): Promise<BookingResponse> {
    policies.bookingChange(actor, dto);
    const updated = await this.transactions.run(async (manager) => {
      const booking = await this.load(manager, id, actor, true);
      const statusChanges = dto.status !== undefined && dto.status !== booking.status;
      if (statusChanges && !canTransition(booking.status, dto.status!)) {
        throw new Conflict(`Cannot change booking status from ${booking.status} to ${dto.status}`);
      }
      // An early return is fine; a rental that never began cannot be complete (nor reviewed).
      if (statusChanges && dto.status === 'Completed' && booking.startDate.getTime() > Date.now()) {
        throw new Conflict('A booking cannot be Completed before its startDate');
      }
      if (statusChanges && policies.cancelsTooLate(actor, booking.startDate)) {
        throw new Conflict('A booking can only be cancelled by its renter before it starts');
      }
      return this.apply(
        manager,
        booking,
        { status: statusChanges ? dto.status : undefined, isPaid: dto.isPaid },
        actor,
        dto.reason,
      );
    });
    this.changes.committed('bookings');
    return updated;
  }

  /**
   * Writes a change of `booking` (locked by the caller's transaction): the row, its history entry
   * and the notifications of a status change.
   */
  async apply(
    manager: EntityManager,
    booking: Booking,
    to: { status?: BookingStatus; isPaid?: boolean },
    actor: Actor,
    reason?: string | null,
  ): Promise<BookingResponse> {
    const previousStatus = booking.status;
    const previousPaid = booking.isPaid;
    if (to.status !== undefined) booking.status = to.status;
    if (to.isPaid !== undefined) booking.isPaid = to.isPaid;
    const statusChanges = booking.status !== previousStatus;
    const paidChanges = booking.isPaid !== previousPaid;
    const loaded = await this.bookings.save(manager, booking);
    const response = toBookingResponse(loaded);
    const write = new AtomicWrite();
    if (statusChanges || paidChanges) {
      write.insert(
        BookingChange,
        change(booking.id, actor, {
          statusFrom: statusChanges ? previousStatus : null,
          statusTo: statusChanges ? booking.status : null,
          paidFrom: paidChanges ? previousPaid : null,
          paidTo: paidChanges ? booking.isPaid : null,
          reason: reason ?? null,
        }),
      );
    }
    if (statusChanges) {
      addNotice(write, bookingStatusNotice(response, loaded.car.agencyId, reason));
      if (booking.renterAccount && !policies.isTheRenter(actor, booking.renterId)) {
        addNotice(write, renterStatusNotice(response, loaded.car.agencyId, reason));
      }
    }
    await write.run(manager);
    return response;
  }

  /**
   * The booking with its car (deleted cars too), locked for a change when `lock`; 404 when it does
   * not exist or `actor` may not see it.
   */
  async load(manager: EntityManager, id: string, actor: Actor, lock = false): Promise<Booking> {
    const booking = await this.bookings.find(manager, policies.bookings(actor), id, lock);
    if (!booking) throw new NotFound('Booking not found');
    return booking;
  }
}

/**
 * The renter of a booking made for someone else. Open mode keeps the dashboard's renter id; in token
 * mode an agency's or the admin's booking is a walk-in: it never belongs to a renter account (only
 * that renter's own token books for it).
 */
function walkIn(dto: CreateBookingDto, actor: Actor): Renter {
  if (!dto.renter) throw new InvalidInput('renter is required: who the booking is for (name and email)');
  return {
    id: (policies.keepsClientRenterId(actor) && dto.renter.id) || randomUUID(),
    name: dto.renter.name,
    email: dto.renter.email,
    account: false,
  };
}

/** A history entry of `bookingId`, stamped with who made it. */
function change(
  bookingId: string,
  actor: Actor,
  moved: Partial<Pick<BookingChange, 'statusFrom' | 'statusTo' | 'paidFrom' | 'paidTo' | 'reason'>>,
): Partial<BookingChange> {
  const { sub, role } = actorStamp(actor);
  return { bookingId, actorSub: sub, actorRole: role, ...moved };
}
