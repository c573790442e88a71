import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThan, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { CarsService } from '../cars/cars.service.js';
import type { Page } from '../common/pagination.query.js';
import { BookingCreatedEvent, BookingStatusChangedEvent } from './booking.events.js';
import { Booking } from './booking.entity.js';
import { toBookingResponse, type BookingResponse } from './booking.response.js';
import { bookingPrice, canTransition } from './booking-status.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';
import type { ListBookingsQuery } from './dto/list-bookings.query.js';
import type { UpdateBookingDto } from './dto/update-booking.dto.js';

const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class BookingsService {
  private readonly maxBookingDays: number;

  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
    private readonly cars: CarsService,
    config: ConfigService<Environment, true>,
  ) {
    this.maxBookingDays = config.get('MAX_BOOKING_DAYS', { infer: true });
  }

  async list(query: ListBookingsQuery): Promise<Page<BookingResponse>> {
    // Find options, not a query builder: `withDeleted` must also reach the join, so that
    // bookings of a deleted car still come with it (as GET /bookings/:id does).
    const where: FindOptionsWhere<Booking> = {};
    if (query.carId) where.carId = query.carId;
    if (query.status) where.status = query.status;
    if (query.from) where.endDate = MoreThan(new Date(query.from));
    if (query.to) where.startDate = LessThan(new Date(query.to));
    const [rows, total] = await this.bookings.findAndCount({
      where,
      relations: { car: true },
      withDeleted: true,
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toBookingResponse), total };
  }

  async findOne(id: string): Promise<BookingResponse> {
    return toBookingResponse(await this.load(this.dataSource.manager, id));
  }

  /**
   * Creates a Pending booking priced by the server. Overlaps are refused by the
   * database's exclusion constraint, so concurrent requests cannot both win.
   */
  async create(dto: CreateBookingDto): Promise<BookingResponse> {
    const startDate = new Date(dto.startDate);
    const endDate = new Date(dto.endDate);
    if (endDate <= startDate) throw new BadRequestException('endDate must be after startDate');
    // A day of grace: "today" in the renter's time zone may already be yesterday in UTC.
    if (startDate.getTime() < Date.now() - DAY_MS) throw new BadRequestException('startDate must not be in the past');
    if (endDate.getTime() - startDate.getTime() > this.maxBookingDays * DAY_MS) {
      throw new BadRequestException(`A booking may last at most ${this.maxBookingDays} days`);
    }

    return this.dataSource.transaction(async (manager) => {
      const car = await this.cars.lockForReference(manager, dto.carId);
      if (!car.available) throw new ConflictException('Car is not available for booking');

      const booking = manager.create(Booking, {
        carId: car.id,
        startDate,
        endDate,
        renterId: dto.renter.id || randomUUID(),
        renterName: dto.renter.name,
        renterEmail: dto.renter.email,
        status: 'Pending',
        totalPrice: bookingPrice(car.pricePerDay, startDate, endDate),
        isPaid: false,
      });
      // An overlap violates bookings_no_overlap: the exception filter answers 409.
      await manager.save(booking);
      booking.car = car;
      const response = toBookingResponse(booking);
      await this.events.emitAsync(BookingCreatedEvent.eventName, new BookingCreatedEvent(manager, response));
      return response;
    });
  }

  /** Changes status (along the state machine) and/or the paid flag. */
  async update(id: string, dto: UpdateBookingDto): Promise<BookingResponse> {
    return this.dataSource.transaction(async (manager) => {
      const booking = await manager.findOne(Booking, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!booking) throw new NotFoundException('Booking not found');
      const previousStatus = booking.status;
      const statusChanges = dto.status !== undefined && dto.status !== previousStatus;
      if (statusChanges && !canTransition(previousStatus, dto.status!)) {
        throw new ConflictException(`Cannot change booking status from ${previousStatus} to ${dto.status}`);
      }
      if (statusChanges) booking.status = dto.status!;
      if (dto.isPaid !== undefined) booking.isPaid = dto.isPaid;
      await manager.save(booking);

      const response = toBookingResponse(await this.load(manager, id));
      if (statusChanges) {
        await this.events.emitAsync(
          BookingStatusChangedEvent.eventName,
          new BookingStatusChangedEvent(manager, response, previousStatus),
        );
      }
      return response;
    });
  }

  private async load(manager: EntityManager, id: string): Promise<Booking> {
    const booking = await manager.findOne(Booking, { where: { id }, relations: { car: true }, withDeleted: true });
    if (!booking) throw new NotFoundException('Booking not found');
    return booking;
  }
}
