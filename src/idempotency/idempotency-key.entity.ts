import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A request made with an `Idempotency-Key`: while `statusCode` is null it is still running (for
 * its lease at most); then the response it got, stored in the transaction of its write and
 * replayed to retries for 24 hours.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  /** Who sent it: their identity (token mode) or their address. Keys are per client. */
  @PrimaryColumn('text')
  client: string;

  @PrimaryColumn('text')
  key: string;

  /** SHA-256 of method, route and body: the same key with another request is refused. */
  @Column('text')
  fingerprint: string;

  @Column('int', { nullable: true })
  statusCode: number | null;

  @Column('jsonb', { nullable: true })
  body: unknown;

  /** While it has no answer: until when the request that claimed it holds it (see IDEMPOTENCY_LEASE_SECONDS). */
  @Column('timestamptz', { nullable: true })
  leaseUntil: Date | null;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
