import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Agency } from '../agencies/agency.entity.js';

export const CHAT_SENDERS = ['agency', 'admin'] as const;
export type ChatSender = (typeof CHAT_SENDERS)[number];

@Entity('chat_messages')
@Check('chat_messages_sender_known', `"sender" IN ('agency', 'admin')`)
// A resend is recognised by who sent it and the id its client gave it, never by that id alone.
@Index(['senderId', 'clientId'], { unique: true })
export class ChatMessage {
  /** Ordering key for history pages; never sent to clients. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq: string;

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

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Agency;

  @Column('text')
  sender: ChatSender;

  @Column('text')
  content: string;

  @Index()
  @Column('timestamptz')
  timestamp: Date;
}
