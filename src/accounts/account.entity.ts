import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EmailChoices } from '../notifications/email-choices.js';

export const ACCOUNT_STATUSES = ['active', 'suspended'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/**
 * An identity this API has seen a valid token of (it keeps no passwords: the identity provider
 * does). Written when a token is first used, refreshed now and then (see AccountsService).
 */
@Entity('users')
@Index('users_by_first_seen', ['firstSeenAt'])
@Index('users_by_sub', ['sub'])
@Check('users_status_known', `"status" IN ('active', 'suspended')`)
export class Account {
  /** The token's `iss` ('' when it has none): with `sub`, the identity. */
  @PrimaryColumn('text', { primaryKeyConstraintName: 'PK_users_identity' })
  issuer: string;

  /** The token's `sub`. */
  @PrimaryColumn('text', { primaryKeyConstraintName: 'PK_users_identity' })
  sub: string;

  /** The role of the last token seen (a token's own role is what counts for its requests). */
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

  /** The profile the user keeps themselves (PATCH /users/me). */
  @Column('text', { nullable: true })
  firstName: string | null;

  @Column('text', { nullable: true })
  lastName: string | null;

  @Column('text', { nullable: true })
  phone: string | null;

  /** A BCP 47 language tag (`fr`, `en-GB`): the language they read. */
  @Column('text', { nullable: true })
  locale: string | null;

  @Column('text', { nullable: true })
  avatarUrl: string | null;
  /** The `locale` claim of the last token seen: the language when the profile names none. */
  @Column('text', { nullable: true })
  tokenLocale: string | null;
  /** Which e-mails they want, by notification category (absent: on). */
  @Column('jsonb', { default: {} })
  emailNotifications: EmailChoices;

  @Column('timestamptz', { default: () => 'now()' })
  firstSeenAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  lastSeenAt: Date;
}
