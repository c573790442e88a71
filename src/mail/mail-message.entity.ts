import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Notification } from '../notifications/notification.entity.js';

export const MAIL_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * One notification to be e-mailed to one address, queued in the transaction that stored the
 * notification (MailAndLanguages migration) and sent after it by whichever process claims it.
 */
@Entity('mail_queue')
@Check('mail_queue_status_known', `"status" IN ('pending', 'sent', 'failed')`)
@Index('mail_queue_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
@Index('mail_queue_sent_recently', ['address', 'category', 'sentAt'], { where: `"status" = 'sent'` })
@Index('mail_queue_by_notification', ['notificationId'])
export class MailMessage {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'PK_mail_queue',
  })
  id: string;

  @Column('bigint')
  notificationId: string;

  @ManyToOne(() => Notification, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'notification_id', foreignKeyConstraintName: 'FK_mail_queue_notification' })
  notification?: Notification;

  @Column('text')
  address: string;

  /** How to greet them. */
  @Column('text', { nullable: true })
  recipientName: string | null;

  /** The reader's language tag; null: DEFAULT_LOCALE. */
  @Column('text', { nullable: true })
  locale: string | null;

  /** The notification's category: messages of one category to one address within MAIL_DIGEST_MINUTES go out as one. */
  @Column('text')
  category: string;

  @Column('text', { default: 'pending' })
  status: MailStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('timestamptz', { default: () => 'now()' })
  nextAttemptAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  @Column('text', { nullable: true })
  lastError: string | null;
}
