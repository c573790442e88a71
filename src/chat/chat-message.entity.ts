import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const CHAT_SENDERS = ['agency', 'admin'] as const;
export type ChatSender = (typeof CHAT_SENDERS)[number];

@Entity('chat_messages')
@Check('chat_messages_sender_known', `"sender" IN ('agency', 'admin')`)
export class ChatMessage {
  /** Ordering key for history pages; never sent to clients. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq: string;

  /** The client's id (the dashboard sends `Date.now().toString()`) or a server uuid. Unique: a resend is ignored. */
  @Index({ unique: true })
  @Column('text')
  id: string;

  @Column('text')
  sender: ChatSender;

  @Column('text')
  content: string;

  @Index()
  @Column('timestamptz')
  timestamp: Date;
}
