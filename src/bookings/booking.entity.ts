import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Car } from '../cars/car.entity.js';
import { numericTransformer } from '../database/column-transformers.js';
import type { BookingStatus } from './booking-status.js';

/**
 * No double booking: two bookings of one car that hold it (Pending or Confirmed)
 * may not overlap. Ranges are half-open, so a booking may start when another ends.
 */
@Entity('bookings')
@Index('bookings_dates_idx', ['startDate', 'endDate'])
// The catalogue's availability probe (car_id, start_date DESC) INCLUDE (end_date) of holding
// bookings, which TypeORM cannot describe: created by the RentersAndProfiles migration.
@Index('bookings_holding_by_car', { synchronize: false })
// The admin overview's: paid Completed bookings by end, and booked periods (GiST); PlatformCasework migration.
@Index('bookings_paid_by_end', { synchronize: false })
@Index('bookings_booked_period', { synchronize: false })
@Index('bookings_by_creation', ['createdAt', 'status'])
@Index('bookings_pending_by_creation', ['createdAt'], { where: `"status" = 'Pending'` })
@Exclusion(
  'bookings_no_overlap',
  `USING gist ("car_id" WITH =, tstzrange("start_date", "end_date", '[)') WITH &&) WHERE ("status" IN ('Pending', 'Confirmed'))`,
)
@Check('bookings_dates_ordered', '"end_date" > "start_date"')
@Check('bookings_status_known', `"status" IN ('Pending', 'Confirmed', 'Completed', 'Cancelled', 'Rejected')`)
@Check('bookings_total_price_positive', '"total_price" >= 0')
export class Booking {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  carId: string;

  @ManyToOne(() => Car, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'car_id' })
  car: Car;

  @Column('timestamptz')
  startDate: Date;

  @Column('timestamptz')
  endDate: Date;

  @Column('text')
  renterId: string;

  @Column('text')
  renterName: string;

  @Column('text')
  renterEmail: string;

  /** The renter booked with their own token: `renterId` is their `sub`, and they are told of changes. */
  @Column('boolean', { default: false })
  renterAccount: boolean;

  @Index()
  @Column('text', { default: 'Pending' })
  status: BookingStatus;

  @Column('numeric', { precision: 12, scale: 2, transformer: numericTransformer })
  totalPrice: number;

  @Column('boolean', { default: false })
  isPaid: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
