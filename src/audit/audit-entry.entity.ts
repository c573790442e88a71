import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One admin action or booking status change, as it happened: who (sub, role), what, on which entity,
 * the state before and after, the reason given, when, and the request that did it. Append-only: the
 * AUDIT_APPEND_ONLY trigger refuses every UPDATE and DELETE, and nothing in the API writes but inserts.
 */
@Entity('audit_log')
@Index('audit_log_by_time', ['at', 'id'])
@Index('audit_log_by_actor', ['actorSub', 'at'])
@Index('audit_log_by_entity', ['entityType', 'entityId', 'at'])
export class AuditEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  at: Date;

  @Column('text')
  actorSub: string;

  @Column('text')
  actorRole: string;

  /** What was done: `agency.status`, `user.status`, `complaint.triage`, `review.remove`, `booking.status`. */
  @Column('text')
  action: string;

  @Column('text')
  entityType: string;

  @Column('text')
  entityId: string;

  @Column('jsonb', { nullable: true })
  before: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  after: Record<string, unknown> | null;

  @Column('text', { nullable: true })
  reason: string | null;

  /** The X-Request-Id of the request that did it (null for what the API does by itself). */
  @Column('text', { nullable: true })
  requestId: string | null;
}
