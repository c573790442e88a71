import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Agency } from '../agencies/agency.entity.js';

export const NOTIFICATION_TYPES = ['BOOKING', 'REVIEW', 'SYSTEM'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/**
 * The id is a bigint identity: it orders notifications and is the SSE event id,
 * so a reconnecting client replays everything after its Last-Event-ID.
 */
@Entity('notifications')
@Check('notifications_type_known', `"type" IN ('BOOKING', 'REVIEW', 'SYSTEM')`)
@Index(['agencyId', 'id'])
export class Notification {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** The agency of the car it is about: only that agency (and the admin) sees it. */
  @Column('uuid')
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Agency;

  @Column('text')
  type: NotificationType;

  @Column('text')
  title: string;

  @Column('text')
  message: string;

  @Index()
  @Column('boolean', { default: false })
  isRead: boolean;

  @Column('jsonb', { nullable: true })
  data: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
