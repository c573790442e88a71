import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  JoinColumn,
  ManyToOne,
  UpdateDateColumn,
} from 'typeorm';
import { Agency } from '../agencies/agency.entity.js';
import { numericTransformer } from '../database/column-transformers.js';

@Entity('cars')
// Filter indexes on expressions TypeORM cannot describe; created by the AddFilterIndexes migration.
@Index('cars_lower_type_idx', { synchronize: false })
@Index('cars_lower_location_idx', { synchronize: false })
@Index('cars_available_idx', { synchronize: false })
@Index('cars_fuel_price_idx', { synchronize: false })
@Check('cars_price_positive', '"price_per_day" > 0')
@Check('cars_seats_positive', '"seats" > 0')
export class Car {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Agency;

  @Column('text')
  make: string;

  @Column('text')
  model: string;

  @Column('int')
  year: number;

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
