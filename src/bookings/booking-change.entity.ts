import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Booking } from './booking.entity.js';

/** One change of a booking (its creation included): who made it, when, and what moved. */
@Entity('booking_changes')
@Index(['bookingId', 'id'])
export class BookingChange {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  bookingId: string;

  @ManyToOne(() => Booking, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  /** The token's `sub`, or `local` in open mode. */
  @Column('text')
  actorSub: string;

  /** admin, agency or renter; `open` in open mode; `system` for what the API does by itself. */
  @Column('text')
  actorRole: string;

  /** Null on creation. */
  @Column('text', { nullable: true })
  statusFrom: string | null;

  @Column('text', { nullable: true })
  statusTo: string | null;

  @Column('boolean', { nullable: true })
  paidFrom: boolean | null;

  @Column('boolean', { nullable: true })
  paidTo: boolean | null;

  /** Why, when the one who made the change said (a cancellation's reason, `hold expired`). */
  @Column('text', { nullable: true })
  reason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
