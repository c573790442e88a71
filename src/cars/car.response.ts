import { ApiProperty } from '@nestjs/swagger';
import type { Car } from './car.entity.js';

export class CarAgencyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: "'' when the agency has not given it" }) city: string;
}

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
  @ApiProperty({ type: CarAgencyResponse, description: 'The agency that owns the car, in short' })
  agency: CarAgencyResponse;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export interface CarFacts {
  averageRating: number | null;
  reviewCount: number;
  agency: { name: string; city: string | null };
}

export function toCarResponse(car: Car, facts: CarFacts): CarResponse {
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
    averageRating: facts.averageRating,
    reviewCount: facts.reviewCount,
    agency: { id: car.agencyId, name: facts.agency.name, city: facts.agency.city ?? '' },
    createdAt: car.createdAt.toISOString(),
    updatedAt: car.updatedAt.toISOString(),
  };
}
