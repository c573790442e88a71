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
  VirtualColumn,
} from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';

export const COMPLAINT_CATEGORIES = ['vehicle_condition', 'billing', 'no_show', 'behaviour', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const COMPLAINT_STATUSES = ['open', 'in_review', 'resolved', 'rejected'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ComplaintPriority = (typeof COMPLAINT_PRIORITIES)[number];

/**
 * A complaint about a booking, filed by one of its parties (its renter or its agency), or a support
 * request about no booking (a subject instead), filed by a renter or an agency; triaged by the admin team.
 */
@Entity('complaints')
@Check('complaints_category_known', `"category" IN ('vehicle_condition', 'billing', 'no_show', 'behaviour', 'other')`)
@Check('complaints_status_known', `"status" IN ('open', 'in_review', 'resolved', 'rejected')`)
@Check('complaints_priority_known', `"priority" IN ('low', 'normal', 'high', 'urgent')`)
@Index('complaints_by_status', ['status', 'priority', 'createdAt'])
@Index('complaints_by_agency', ['agencyId', 'createdAt'])
@Index('complaints_by_renter', ['renterSub', 'createdAt'])
@Index('complaints_by_category', ['category', 'createdAt'])
@Check('complaints_about_something', `"booking_id" IS NOT NULL OR "subject" <> ''`)
@Check('complaints_have_a_party', `"agency_id" IS NOT NULL OR "renter_sub" IS NOT NULL`)
export class Complaint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The booking complained about; null for a support request. */
  @Column('uuid', { nullable: true })
  bookingId: string | null;

  @ManyToOne(() => Booking, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  /** The booking's car's agency, or the agency that asks for support: a party. */
  @Column('uuid', { nullable: true })
  agencyId: string | null;

  /** The booking's renter when they booked with an account, or the renter who asks for support: a party. */
  @Column('text', { nullable: true })
  renterSub: string | null;

  /** What a support request is about (required without a booking; '' when not given). */
  @Column('text', { default: '' })
  subject: string;

  /** The agency's name, read with the complaint (null without an agency). */
  @VirtualColumn({ type: 'text', query: (alias) => `SELECT a.name FROM agencies a WHERE a.id = ${alias}.agency_id` })
  agencyName: string | null;

  /**
   * The renter's display name, read with the complaint: the booking's renter, else the account's
   * (the token's name, else first and last name).
   */
  @VirtualColumn({
    type: 'text',
    query: (alias) => `SELECT coalesce(
        (SELECT b.renter_name FROM bookings b WHERE b.id = ${alias}.booking_id),
        (SELECT coalesce(u.name, concat_ws(' ', u.first_name, u.last_name)) FROM users u
          WHERE u.sub = ${alias}.renter_sub ORDER BY u.last_seen_at DESC LIMIT 1))`,
  })
  renterName: string | null;

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
