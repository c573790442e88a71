import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaginationQuery } from '../common/pagination.query.js';

/** One conversation of the support inbox as read (see ChatRepository.conversations). */
export interface ConversationRow {
  agency_id: string;
  agency_name: string;
  id: string;
  client_id: string;
  sender: 'agency' | 'admin';
  content: string;
  timestamp: Date;
  unread: number;
  total_count: string;
}

/** A message as the chat stores it. */
export interface StoredChatMessage {
  id: string;
  clientId: string;
  senderId: string;
  agencyId: string;
  sender: string;
  content: string;
  timestamp: string;
}

/** The SQL of the chat: storing a message, and the admin team's support inbox. */
@Injectable()
export class ChatRepository {
  /** Stores `message` (an outbox row); false for a resend (same sender, same client id): nothing is stored. */
  async insert(manager: EntityManager, message: StoredChatMessage): Promise<boolean> {
    // A resend inserts nothing (its trigger's announcement then wakes the relay for nothing).
    const rows = await manager.query<unknown[]>(
      `INSERT INTO chat_messages (id, client_id, sender_id, agency_id, sender, content, timestamp)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sender_id, client_id) DO NOTHING RETURNING id`,
      [
        message.id,
        message.clientId,
        message.senderId,
        message.agencyId,
        message.sender,
        message.content,
        message.timestamp,
      ],
    );
    return rows.length > 0;
  }

  /**
   * One row per agency conversation, its last message and how many of the agency's messages the
   * team has not read (chat_reads), most recent activity first.
   */
  conversations(manager: EntityManager, page: PaginationQuery): Promise<ConversationRow[]> {
    return manager.query<ConversationRow[]>(
      `SELECT last.agency_id, a.name AS agency_name, last.id, last.client_id, last.sender, last.content, last.timestamp,
              (SELECT count(*)::int FROM chat_messages m
                WHERE m.agency_id = last.agency_id AND m.sender = 'agency'
                  AND m.feed_seq > coalesce(r.read_up_to, 0)) AS unread,
              count(*) OVER () AS total_count
         FROM (SELECT DISTINCT ON (agency_id) agency_id, id, client_id, sender, content, timestamp, feed_seq
                 FROM chat_messages WHERE feed_seq IS NOT NULL
                ORDER BY agency_id, feed_seq DESC) last
         JOIN agencies a ON a.id = last.agency_id
         LEFT JOIN chat_reads r ON r.agency_id = last.agency_id
        ORDER BY last.feed_seq DESC
        LIMIT $1 OFFSET $2`,
      [page.limit, page.offset],
    );
  }

  /** The place in delivery order of message `upTo` of the conversation (its newest when absent). */
  async readTarget(manager: EntityManager, agencyId: string, upTo?: string): Promise<string | undefined> {
    const [target] = await manager.query<{ feed_seq: string }[]>(
      upTo === undefined
        ? `SELECT max(feed_seq)::text AS feed_seq FROM chat_messages WHERE agency_id = $1 HAVING max(feed_seq) IS NOT NULL`
        : `SELECT feed_seq::text AS feed_seq FROM chat_messages WHERE agency_id = $1 AND id = $2 AND feed_seq IS NOT NULL`,
      upTo === undefined ? [agencyId] : [agencyId, upTo],
    );
    return target?.feed_seq;
  }

  /** Moves the conversation's read marker to `seq` (never back); returns the agency's messages still unread. */
  async markRead(manager: EntityManager, agencyId: string, seq: string): Promise<number> {
    await manager.query(
      `INSERT INTO chat_reads (agency_id, read_up_to, read_at) VALUES ($1, $2, now())
       ON CONFLICT (agency_id) DO UPDATE SET read_up_to = greatest(chat_reads.read_up_to, EXCLUDED.read_up_to), read_at = now()`,
      [agencyId, seq],
    );
    const [{ unread }] = await manager.query<{ unread: number }[]>(
      `SELECT count(*)::int AS unread FROM chat_messages m LEFT JOIN chat_reads r ON r.agency_id = m.agency_id
        WHERE m.agency_id = $1 AND m.sender = 'agency' AND m.feed_seq > coalesce(r.read_up_to, 0)`,
      [agencyId],
    );
    return unread;
  }
}
