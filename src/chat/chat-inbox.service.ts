import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { Page, PaginationQuery } from '../common/pagination.query.js';
import { ChatMessageResponse } from './chat-message.response.js';

export class ConversationResponse {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty({ type: ChatMessageResponse }) lastMessage: ChatMessageResponse;
  @ApiProperty({ type: 'integer', description: "The agency's messages the admin team has not read" }) unread: number;
  @ApiProperty({ format: 'date-time' }) lastActivityAt: string;
}

interface ConversationRow {
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

/**
 * The admin team's support inbox over the chat: one row per agency conversation, its last message
 * and how many of the agency's messages the team has not read (chat_reads: one marker per
 * conversation, shared by the team), most recent activity first.
 */
@Injectable()
export class ChatInbox {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async conversations(page: PaginationQuery): Promise<Page<ConversationResponse>> {
    const rows = await this.dataSource.query<ConversationRow[]>(
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
    return {
      items: rows.map((row) => ({
        agencyId: row.agency_id,
        agencyName: row.agency_name,
        lastMessage: {
          id: row.id,
          clientId: row.client_id,
          agencyId: row.agency_id,
          sender: row.sender,
          content: row.content,
          timestamp: row.timestamp.toISOString(),
        },
        unread: row.unread,
        lastActivityAt: row.timestamp.toISOString(),
      })),
      total: rows.length > 0 ? Number(rows[0].total_count) : 0,
    };
  }

  /**
   * Marks the conversation read up to message `upTo` (its newest when absent); a marker never moves
   * back. Returns how many of the agency's messages are still unread.
   */
  async markRead(agencyId: string, upTo?: string): Promise<{ unread: number }> {
    const [target] = await this.dataSource.query<{ feed_seq: string }[]>(
      upTo === undefined
        ? `SELECT max(feed_seq)::text AS feed_seq FROM chat_messages WHERE agency_id = $1 HAVING max(feed_seq) IS NOT NULL`
        : `SELECT feed_seq::text AS feed_seq FROM chat_messages WHERE agency_id = $1 AND id = $2 AND feed_seq IS NOT NULL`,
      upTo === undefined ? [agencyId] : [agencyId, upTo],
    );
    if (!target)
      throw new NotFoundException(upTo === undefined ? 'No conversation with that agency' : 'Message not found');
    await this.dataSource.query(
      `INSERT INTO chat_reads (agency_id, read_up_to, read_at) VALUES ($1, $2, now())
       ON CONFLICT (agency_id) DO UPDATE SET read_up_to = greatest(chat_reads.read_up_to, EXCLUDED.read_up_to), read_at = now()`,
      [agencyId, target.feed_seq],
    );
    const [{ unread }] = await this.dataSource.query<{ unread: number }[]>(
      `SELECT count(*)::int AS unread FROM chat_messages m LEFT JOIN chat_reads r ON r.agency_id = m.agency_id
        WHERE m.agency_id = $1 AND m.sender = 'agency' AND m.feed_seq > coalesce(r.read_up_to, 0)`,
      [agencyId],
    );
    return { unread };
  }
}
