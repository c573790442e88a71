import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const CHAT_SENDERS = ['agency', 'admin'] as const;
export type ChatSender = (typeof CHAT_SENDERS)[number];

/** An outbox table (src/realtime/outbox.ts): relayed, and history pages ordered, as the outbox relay stamps them. */
@Entity('chat_messages')
@Check('chat_messages_sender_known', `"sender" IN ('agency', 'admin')`)
// A resend is recognised by who sent it and the id its client gave it, never by that id alone.
@Index(['senderId', 'clientId'], { unique: true })
@Index('chat_messages_by_feed_seq', ['feedSeq'], { unique: true })
@Index('chat_messages_by_agency_feed_seq', ['agencyId', 'feedSeq'])
@Index('chat_messages_unrelayed', ['seq'], { where: '"feed_seq" IS NULL' })
export class ChatMessage {
  /** Insertion order; never sent to clients. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq: string;

  /** Delivery order, which history pages follow too: stamped by the outbox relay once committed (see OutboxRelay). */
  @Column('bigint', { nullable: true })
  feedSeq: string | null;

  /** The server's id for the message (what clients see as `id`). */
  @Index({ unique: true })
  @Column('text')
  id: string;

  /** The id the sender's client gave it (the dashboard sends `Date.now().toString()`), for de-duplication. */
  @Column('text')
  clientId: string;

  /** Who sent it: the token's `sub`, or `open:agency` / `open:admin` in open mode. */
  @Column('text')
  senderId: string;

  /** The conversation: one per agency, with the admin team. */
  @Index()
  @Column('uuid')
  agencyId: string;

  @ManyToOne('Agency', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  /** Named, not imported: the agency's foreign key, without a dependency on the agencies feature. */
  agency?: unknown;

  @Column('text')
  sender: ChatSender;

  @Column('text')
  content: string;

  @Index()
  @Column('timestamptz')
  timestamp: Date;
}
