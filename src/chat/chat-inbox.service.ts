import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { Page, PaginationQuery } from '../common/pagination.query.js';
import { Transactions } from '../database/transactions.js';
import { ChatMessageResponse } from './chat-message.response.js';
import { ChatRepository } from './chat.repository.js';
import { NotFound } from '../common/domain-errors.js';

export class ConversationResponse {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty({ type: ChatMessageResponse }) lastMessage: ChatMessageResponse;
  @ApiProperty({ type: 'integer', description: "The agency's messages the admin team has not read" }) unread: number;
  @ApiProperty({ format: 'date-time' }) lastActivityAt: string;
}

/**
 * The admin team's support inbox over the chat: one row per agency conversation, its last message
 * and how many of the agency's messages the team has not read (chat_reads: one marker per
 * conversation, shared by the team), most recent activity first.
 */
@Injectable()
export class ChatInbox {
  constructor(
    private readonly chat: ChatRepository,
    private readonly transactions: Transactions,
  ) {}

  async conversations(page: PaginationQuery): Promise<Page<ConversationResponse>> {
    const rows = await this.chat.conversations(this.transactions.manager, page);
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
  markRead(agencyId: string, upTo?: string): Promise<{ unread: number }> {
    return this.transactions.run(async (manager) => {
      const target = await this.chat.readTarget(manager, agencyId, upTo);
      if (target === undefined) {
        throw new NotFound(upTo === undefined ? 'No conversation with that agency' : 'Message not found');
      }
      return { unread: await this.chat.markRead(manager, agencyId, target) };
    });
  }
}
