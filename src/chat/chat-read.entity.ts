import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** How far the admin team has read one agency's conversation (the support inbox's unread counts). */
@Entity('chat_reads')
export class ChatRead {
  @PrimaryColumn('uuid')
  agencyId: string;

  @ManyToOne('Agency', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_id' })
  /** Named, not imported: the agency's foreign key, without a dependency on the agencies feature. */
  agency?: unknown;

  /** The feed_seq of the last message read: every message up to it counts as read. */
  @Column('bigint')
  readUpTo: string;

  @Column('timestamptz')
  readAt: Date;
}
