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

export const COMPLAINT_CATEGORIES = ['vehicle_condition', 'billing', 'no_show', 'behaviour', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const COMPLAINT_STATUSES = ['open', 'in_review', 'resolved', 'rejected'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ComplaintPriority = (typeof COMPLAINT_PRIORITIES)[number];

/** A complaint about a booking, filed by one of its parties (its renter or its agency), triaged by the admin team. */
@Entity('complaints')
@Check('complaints_category_known', `"category" IN ('vehicle_condition', 'billing', 'no_show', 'behaviour', 'other')`)
@Check('complaints_status_known', `"status" IN ('open', 'in_review', 'resolved', 'rejected')`)
@Check('complaints_priority_known', `"priority" IN ('low', 'normal', 'high', 'urgent')`)
@Index('complaints_by_status', ['status', 'priority', 'createdAt'])
@Index('complaints_by_agency', ['agencyId', 'createdAt'])
@Index('complaints_by_renter', ['renterSub', 'createdAt'])
export class Complaint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  bookingId: string;

  @ManyToOne(() => Booking, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  /** The booking's car's agency: a party. */
  @Column('uuid')
  agencyId: string;

  /** The booking's renter when they booked with an account: the other party. */
  @Column('text', { nullable: true })
  renterSub: string | null;

  @Column('text')
  filedBySub: string;

  @Column('text')
  filedByRole: string;

  @Column('text')
  category: ComplaintCategory;

  @Column('text')
  description: string;

  @Column('text', { default: 'open' })
  status: ComplaintStatus;

  @Column('text', { default: 'normal' })
  priority: ComplaintPriority;

  /** The admin (sub) handling it. */
  @Column('text', { nullable: true })
  assignee: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
