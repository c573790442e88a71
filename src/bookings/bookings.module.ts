import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CarsModule } from '../cars/cars.module.js';
import { Booking } from './booking.entity.js';
import { BookingsController } from './bookings.controller.js';
import { BookingHolds } from './booking-holds.js';
import { BookingThreads } from './booking-threads.service.js';
import { BookingsService } from './bookings.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Booking]), CarsModule],
  controllers: [BookingsController],
  providers: [BookingsService, BookingThreads, BookingHolds],
  exports: [BookingsService],
})
export class BookingsModule {}
