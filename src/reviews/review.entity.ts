import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import { Car } from '../cars/car.entity.js';

@Entity('reviews')
@Check('reviews_rating_range', '"rating" BETWEEN 1 AND 5')
@Index('reviews_by_renter', ['renterId', 'createdAt'])
export class Review {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  carId: string;

  @ManyToOne(() => Car, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'car_id' })
  car?: Car;

  /** The Completed booking a renter's review is about (verified reviews): one review per booking. */
  @Index({ unique: true, where: '"booking_id" IS NOT NULL' })
  @Column('uuid', { nullable: true })
  bookingId: string | null;

  @ManyToOne(() => Booking, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

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

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** The agency's one reply. */
  @Column('text', { nullable: true })
  replyComment: string | null;

  @Column('timestamptz', { nullable: true })
  replyCreatedAt: Date | null;

  /** Removed by its renter or by the admin (moderation): kept, with who and why, but no longer shown. */
  @Column('timestamptz', { nullable: true })
  removedAt: Date | null;

  @Column('text', { nullable: true })
  removedBy: string | null;

  @Column('text', { nullable: true })
  removalReason: string | null;
}
