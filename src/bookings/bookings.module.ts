import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CarsModule } from '../cars/cars.module.js';
import { Booking } from './booking.entity.js';
import { BookingsController } from './bookings.controller.js';
import { BookingHolds } from './booking-holds.js';
import { BookingThreads } from './booking-threads.service.js';
import { BookingsRepository } from './bookings.repository.js';
import { BookingsService } from './bookings.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Booking]), CarsModule, AuditModule],
  controllers: [BookingsController],
  providers: [BookingsRepository, BookingsService, BookingThreads, BookingHolds],
  exports: [BookingsService, BookingsRepository],
})
export class BookingsModule {}
