import { ApiProperty } from '@nestjs/swagger';
import { BOOKING_STATUSES, type BookingStatus } from './booking-status.js';
import type { Booking } from './booking.entity.js';

class BookingCarResponse {
  @ApiProperty() id: string;
  @ApiProperty() make: string;
  @ApiProperty() model: string;
  @ApiProperty({ type: 'integer' }) year: number;
  @ApiProperty() type: string;
  @ApiProperty({ type: 'integer' }) seats: number;
  @ApiProperty() fuelType: string;
  @ApiProperty({ type: [String] }) images: string[];
}

class BookingRenterResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
}

export class BookingResponse {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'uuid' }) carId: string;
  @ApiProperty({ type: BookingCarResponse }) car: BookingCarResponse;
  @ApiProperty({ format: 'date-time' }) startDate: string;
  @ApiProperty({ format: 'date-time' }) endDate: string;
  @ApiProperty({ type: BookingRenterResponse }) renter: BookingRenterResponse;
  @ApiProperty({ enum: BOOKING_STATUSES }) status: BookingStatus;
  @ApiProperty({ description: 'Computed by the server' }) totalPrice: number;
  @ApiProperty() isPaid: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** What a booking shows of its car. */
export type BookingCar = Pick<
  Booking['car'],
  'id' | 'make' | 'model' | 'year' | 'type' | 'seats' | 'fuelType' | 'images'
>;

/** `booking.car` must be loaded (soft-deleted cars included). */
export function toBookingResponse(booking: Omit<Booking, 'car'> & { car: BookingCar }): BookingResponse {
  const { car } = booking;
  return {
    id: booking.id,
    carId: booking.carId,
    car: {
      id: car.id,
      make: car.make,
      model: car.model,
      year: car.year,
      type: car.type,
      seats: car.seats,
      fuelType: car.fuelType,
      images: car.images,
    },
    startDate: booking.startDate.toISOString(),
    endDate: booking.endDate.toISOString(),
    renter: { id: booking.renterId, name: booking.renterName, email: booking.renterEmail },
    status: booking.status,
    totalPrice: booking.totalPrice,
    isPaid: booking.isPaid,
    createdAt: booking.createdAt.toISOString(),
    updatedAt: booking.updatedAt.toISOString(),
  };
}
