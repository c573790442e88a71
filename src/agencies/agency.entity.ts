import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AgencyStatus } from '../access/standing-rule.js';
import type { EmailChoices } from '../notifications/email-choices.js';

export { AGENCY_STATUSES, BUILT_IN_AGENCY_ID, type AgencyStatus } from '../access/standing-rule.js';

/** An agency on the platform: it owns cars, and through them their bookings, reviews and notifications. */
@Entity('agencies')
@Check('agencies_status_known', `"status" IN ('pending', 'active', 'suspended', 'rejected')`)
export class Agency {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** Only an active agency's cars are in the public catalogue and may be booked. */
  @Column('text', { default: 'active' })
  status: AgencyStatus;

  /** Why it is pending or suspended, as the admin wrote it. */
  @Column('text', { nullable: true })
  statusReason: string | null;

  @Column('text', { nullable: true })
  legalName: string | null;

  @Column('text', { nullable: true })
  registrationNumber: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('text', { nullable: true })
  address: string | null;

  @Column('text', { nullable: true })
  city: string | null;

  @Column('text', { nullable: true })
  website: string | null;

  /** Who to ask at the agency. */
  @Column('text', { nullable: true })
  contactName: string | null;

  /** The language of its e-mails (a BCP 47 tag); null: DEFAULT_LOCALE. */
  @Column('text', { nullable: true })
  locale: string | null;

  /** Which e-mails it wants at `email`, by notification category (absent: on). */
  @Column('jsonb', { default: {} })
  emailNotifications: EmailChoices;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
