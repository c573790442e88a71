import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { numericTransformer } from '../database/column-transformers.js';

@Entity('cars')
@Check('cars_price_positive', '"price_per_day" > 0')
@Check('cars_seats_positive', '"seats" > 0')
export class Car {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  make: string;

  @Column('text')
  model: string;

  @Column('int')
  year: number;

  @Index()
  @Column('text')
  type: string;

  @Column('int')
  seats: number;

  @Column('text')
  fuelType: string;

  @Column('numeric', { precision: 10, scale: 2, transformer: numericTransformer })
  pricePerDay: number;

  @Column('boolean', { default: true })
  available: boolean;

  @Index()
  @Column('text')
  location: string;

  @Column('text', { default: '' })
  description: string;

  @Column('text', { array: true, default: () => "'{}'" })
  features: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  images: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt: Date | null;
}
