import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Car } from './car.entity.js';

/**
 * The count and sum of a car's shown reviews, kept by a trigger on `reviews` (CAR_RATINGS_SQL) in
 * the transaction of each review's insert, edit or removal: the catalogue reads and sorts by it
 * without aggregating every review.
 */
@Entity('car_ratings')
export class CarRating {
  @PrimaryColumn('uuid')
  carId: string;

  @OneToOne(() => Car, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'car_id' })
  car?: Car;

  @Column('int', { default: 0 })
  reviewCount: number;

  @Column('int', { default: 0 })
  ratingSum: number;
}
