import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Car } from '../cars/car.entity.js';

@Entity('reviews')
@Check('reviews_rating_range', '"rating" BETWEEN 1 AND 5')
export class Review {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  carId: string;

  @ManyToOne(() => Car, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'car_id' })
  car?: Car;

  @Column('text')
  renterId: string;

  @Column('text')
  renterName: string;

  @Column('smallint')
  rating: number;

  @Column('text', { default: '' })
  comment: string;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
