import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, MoreThan, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { Reach } from '../access/policies.js';
import type { Page } from '../common/pagination.query.js';
import { BookingChange } from './booking-change.entity.js';
import { Booking } from './booking.entity.js';
import { ACTIVE_STATUSES } from './booking-status.js';
import type { ListBookingsQuery } from './dto/list-bookings.query.js';

/** The advisory lock class of one renter's bookings: pg_advisory_xact_lock(class, hashtext(sub)). */
const RENTER_LOCK_CLASS = 0x72656e74; // "rent"

/**
 * The bookings `reach` covers, as find conditions: the one scope of the list, its count, single
 * reads and the changes made through them. A renter's own are those booked with their own token.
 */
export function bookingsWithin(reach: Reach): FindOptionsWhere<Booking> {
  switch (reach.kind) {
    case 'all':
      return {};
    case 'agency':
      return { car: { agencyId: reach.agencyId } };
    case 'renter':
      return { renterId: reach.sub, renterAccount: true };
    case 'public':
    case 'none':
      return { id: IsNull() }; // no booking has no id: nothing
  }
}

/** The SQL of bookings and their history. */
@Injectable()
export class BookingsRepository {
  /** A page of the bookings within `reach`, newest first, each with its car (deleted cars too). */
  async list(manager: EntityManager, reach: Reach, query: ListBookingsQuery): Promise<Page<Booking>> {
    // Find options, not a query builder: `withDeleted` must also reach the join, so that
    // bookings of a deleted car still come with it (as a single read does).
    const where = bookingsWithin(reach);
    if (query.carId) where.carId = query.carId;
    if (query.status) where.status = query.status;
    if (query.from) where.endDate = MoreThan(new Date(query.from));
    if (query.to) where.startDate = LessThan(new Date(query.to));
    const [items, total] = await manager.findAndCount(Booking, {
      where,
      relations: { car: true },
      withDeleted: true,
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total };
  }

  /** The booking `id` with its car, if within `reach`; locked FOR UPDATE when `lock`. */
  async find(manager: EntityManager, reach: Reach, id: string, lock = false): Promise<Booking | null> {
    const booking = await manager.findOne(Booking, {
      where: { ...bookingsWithin(reach), id },
      relations: { car: true },
      withDeleted: true,
    });
    if (!booking || !lock) return booking;
    // The row itself (its car and renter never change: who may see it stays as checked).
    const locked = await manager.findOne(Booking, { where: { id }, lock: { mode: 'pessimistic_write' } });
    return locked && Object.assign(locked, { car: booking.car });
  }

  history(manager: EntityManager, bookingId: string): Promise<BookingChange[]> {
    return manager.find(BookingChange, { where: { bookingId }, order: { id: 'ASC' } });
  }

  /** Holds, in `manager`'s transaction, the lock under which one renter's bookings are made one after another. */
  async lockRenter(manager: EntityManager, sub: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [RENTER_LOCK_CLASS, sub]);
  }

  /** The renter's open bookings (Pending or Confirmed, not yet ended) booked with their own token. */
  countOpen(manager: EntityManager, sub: string): Promise<number> {
    return manager.count(Booking, {
      where: { renterId: sub, renterAccount: true, status: In(ACTIVE_STATUSES), endDate: MoreThan(new Date()) },
    });
  }

  /** Up to `limit` Pending bookings older than `minutes`, locked, skipping those another process holds. */
  expiredHolds(manager: EntityManager, minutes: number, limit: number): Promise<Booking[]> {
    return manager
      .createQueryBuilder(Booking, 'b')
      .where(`b.status = 'Pending' AND b.created_at <= now() - make_interval(mins => :minutes)`, { minutes })
      .orderBy('b.created_at')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  /** Saves a changed booking and reads it back with its car. */
  async save(manager: EntityManager, booking: Booking): Promise<Booking> {
    await manager.save(booking);
    return manager.findOneOrFail(Booking, { where: { id: booking.id }, relations: { car: true }, withDeleted: true });
  }

  /** The renter's Completed bookings of `carId` booked with their own token (`named` only, when given), oldest end first. */
  completedOf(manager: EntityManager, carId: string, renterSub: string, named?: string): Promise<Booking[]> {
    return manager.find(Booking, {
      where: { carId, renterId: renterSub, renterAccount: true, status: 'Completed', ...(named ? { id: named } : {}) },
      order: { endDate: 'ASC', id: 'ASC' },
    });
  }
}
