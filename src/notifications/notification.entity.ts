import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const NOTIFICATION_TYPES = ['BOOKING', 'REVIEW', 'SYSTEM'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What a notification is about, for a client to route it (finer than `type`, which the dashboard knows). */
export const NOTIFICATION_CATEGORIES = [
  'booking',
  'review',
  'message',
  'complaint',
  'agency',
  'account',
  'system',
] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

/**
 * An outbox table (src/realtime/outbox.ts). The id is a bigint identity (creation order). `feedSeq`
 * is delivery order: the outbox relay stamps it once the row is committed, and it is the SSE event id, so a reconnecting client replays
 * everything after its Last-Event-ID with no gap.
 */
@Entity('notifications')
@Check('notifications_type_known', `"type" IN ('BOOKING', 'REVIEW', 'SYSTEM')`)
@Check(
  'notifications_category_known',
  `"category" IN ('booking', 'review', 'message', 'complaint', 'agency', 'account', 'system')`,
)
@Index(['agencyId', 'id'])
@Index('notifications_by_feed_seq', ['feedSeq'], { unique: true })
@Index('notifications_by_agency_feed_seq', ['agencyId', 'feedSeq'])
@Index('notifications_unrelayed', ['id'], { where: '"feed_seq" IS NULL' })
@Index('notifications_by_agency_created', ['agencyId', 'createdAt', 'id'])
@Index('notifications_by_created', ['createdAt', 'id'])
@Index('notifications_by_recipient_created', ['recipientSub', 'createdAt', 'id'], {
  where: '"recipient_sub" IS NOT NULL',
})
@Index('notifications_by_recipient_feed_seq', ['recipientSub', 'feedSeq'], { where: '"recipient_sub" IS NOT NULL' })
export class Notification {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /**
   * The agency it is about: only that agency (and the admin team) sees it, unless it is a user's;
   * null for the admin team alone (never in open mode).
   */
  @Column('uuid', { nullable: true })
  agencyId: string | null;

  /** Set when it is addressed to one user (a renter): then only that user sees it. */
  @Column('text', { nullable: true })
  recipientSub: string | null;

  @ManyToOne('Agency', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  /** Named, not imported: the agency's foreign key, without a dependency on the agencies feature. */
  agency?: unknown;

  @Column('text')
  type: NotificationType;

  @Column('text', { default: 'system' })
  category: NotificationCategory;

  /** The API path of what it is about (`/bookings/<id>`); '' when it is about nothing one can open. */
  @Column('text', { default: '' })
  link: string;

  /** What happened (notice-texts.ts), worded for each reader with `params`; null before kinds existed. */
  @Column('text', { nullable: true })
  kind: string | null;

  @Column('jsonb', { nullable: true })
  params: Record<string, unknown> | null;

  /** The English wording, as stored when it happened (what the dashboard reads). */
  @Column('text')
  title: string;

  @Column('text')
  message: string;

  @Index()
  @Column('boolean', { default: false })
  isRead: boolean;

  @Column('jsonb', { nullable: true })
  data: Record<string, unknown> | null;

  /** Null until the outbox relay has stamped it (see OutboxRelay). */
  @Column('bigint', { nullable: true })
  feedSeq: string | null;

  /** Kept to the millisecond, as shown: GET /notifications orders by it (then by id). */
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
