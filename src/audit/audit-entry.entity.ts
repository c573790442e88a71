import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change of one entity by an audited request (every write of the admin team, every change of
 * status or money), as it happened: who (sub, role), what, on which entity, the columns before and
 * after, the reason given, when, and the request that did it. Written by the database's audit
 * triggers in the transaction of the change (see AuditInterceptor). Append-only: a trigger refuses
 * every UPDATE, DELETE and TRUNCATE, and the API's own role may only read and insert.
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

  /** The id the server gave the request that did it (null for what the API does by itself). */
  @Column('text', { nullable: true })
  requestId: string | null;

  /** The X-Request-Id the client sent with it, if any: the client's word, kept beside the server's. */
  @Column('text', { nullable: true })
  clientRequestId: string | null;
}
