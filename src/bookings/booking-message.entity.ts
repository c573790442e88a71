import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Booking } from './booking.entity.js';

/** One message of a booking's thread between its renter and the car's agency. */
@Entity('booking_messages')
@Index(['bookingId', 'id'])
export class BookingMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  bookingId: string;

  @ManyToOne(() => Booking, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  @Column('text')
  authorSub: string;

  /** renter or agency. */
  @Column('text')
  authorRole: string;

  @Column('text')
  authorName: string;

  @Column('text')
  content: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
