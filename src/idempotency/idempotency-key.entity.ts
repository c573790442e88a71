import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A request made with an `Idempotency-Key`: while `statusCode` is null it is
 * still running; then the response it got, replayed to retries for 24 hours.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  /** Who sent it (their address today, their token's `sub` once identity exists): keys are per client. */
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

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
