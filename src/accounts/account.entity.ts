import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const ACCOUNT_STATUSES = ['active', 'suspended'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/**
 * An identity this API has seen a valid token of (it keeps no passwords: the identity provider
 * does). Written when a token is first used, refreshed now and then (see AccountsService).
 */
@Entity('users')
@Index('users_by_first_seen', ['firstSeenAt'])
@Check('users_status_known', `"status" IN ('active', 'suspended')`)
export class Account {
  /** The token's `sub`. */
  @PrimaryColumn('text')
  sub: string;

  @Column('text')
  issuer: string;

  @Column('text')
  role: string;

  @Column('uuid', { nullable: true })
  agencyId: string | null;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { default: 'active' })
  status: AccountStatus;

  @Column('timestamptz', { default: () => 'now()' })
  firstSeenAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  lastSeenAt: Date;
}
