import { ApiProperty } from '@nestjs/swagger';
import type { Car } from './car.entity.js';

export class CarResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The agency that owns the car' }) agencyId: string;
  @ApiProperty() make: string;
  @ApiProperty() model: string;
  @ApiProperty({ type: 'integer' }) year: number;
  @ApiProperty() type: string;
  @ApiProperty({ type: 'integer' }) seats: number;
  @ApiProperty() fuelType: string;
  @ApiProperty() pricePerDay: number;
  @ApiProperty() available: boolean;
  @ApiProperty() location: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) features: string[];
  @ApiProperty({ type: [String] }) images: string[];
  @ApiProperty({ type: Number, nullable: true, description: 'Mean review rating, null without reviews' })
  averageRating: number | null;
  @ApiProperty({ type: 'integer' }) reviewCount: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export interface RatingStats {
  averageRating: number | null;
  reviewCount: number;
}

export function toCarResponse(car: Car, stats: RatingStats = { averageRating: null, reviewCount: 0 }): CarResponse {
  return {
    id: car.id,
    agencyId: car.agencyId,
    make: car.make,
    model: car.model,
    year: car.year,
    type: car.type,
    seats: car.seats,
    fuelType: car.fuelType,
    pricePerDay: car.pricePerDay,
    available: car.available,
    location: car.location,
    description: car.description,
    features: car.features,
    images: car.images,
    averageRating: stats.averageRating,
    reviewCount: stats.reviewCount,
    createdAt: car.createdAt.toISOString(),
    updatedAt: car.updatedAt.toISOString(),
  };
}
