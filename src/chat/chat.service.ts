import { Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { map, type Observable } from 'rxjs';
import { IsNull, LessThan, MoreThan, Not, Repository, type FindOptionsWhere } from 'typeorm';
import { FeedRelay } from '../database/feed-relay.js';
import { OrderedFeed, type FeedItem } from '../database/ordered-feed.js';
import { PgBus } from '../database/pg-bus.service.js';
import { CHAT_FEED, ChatMessage } from './chat-message.entity.js';
import { toChatMessageResponse, type ChatMessageResponse } from './chat-message.response.js';
import type { IncomingChatMessage } from './incoming-chat-message.js';

const REMEMBERED_ORIGINS = 1000;

/** A stored message in delivery order, with the socket that sent it when that socket is on this process. */
export interface RelayedChatMessage extends FeedItem {
  message: ChatMessageResponse;
  /** The sending socket's id ('' when it is on another process): it is skipped. */
  origin: string;
}

@Injectable()
export class ChatService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly feed: OrderedFeed<FeedItem & { message: ChatMessageResponse }>;
  /** Every stored message once, in delivery order, from every process: the gateway relays it. */
  readonly relayed: Observable<RelayedChatMessage>;
  /** Which local socket sent the messages this process stored lately (by message id). */
  private readonly origins = new Map<string, string>();

  constructor(
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
    bus: PgBus,
    relay: FeedRelay,
  ) {
    this.feed = new OrderedFeed(bus, relay, CHAT_FEED, async (seq, limit) =>
      (await this.rowsAfter(String(seq), limit)).map((row) => ({
        seq: BigInt(row.feedSeq!),
        message: toChatMessageResponse(row),
      })),
    );
    this.relayed = this.feed.items.pipe(
      map(({ seq, message }) => ({ seq, message, origin: this.origins.get(message.id) ?? '' })),
    );
  }

  /** The feed_seq of the last message this process relayed. */
  get deliveredUpTo(): bigint {
    return this.feed.position;
  }

  async onModuleInit(): Promise<void> {
    await this.feed.start();
  }

  beforeApplicationShutdown(): void {
    this.feed.close();
  }

  /**
   * Stores the message; once committed, the feed relay puts it in delivery order and every
   * process relays it. No writer waits for another. Returns false for a resend (same sender,
   * same client id): nothing is stored or sent.
   */
  async post(
    incoming: Omit<IncomingChatMessage, 'agencyId'>,
    origin: string,
    { agencyId, senderId }: { agencyId: string; senderId: string },
  ): Promise<boolean> {
    const message: ChatMessageResponse = {
      id: randomUUID(),
      clientId: incoming.id,
      agencyId,
      sender: incoming.sender,
      content: incoming.content,
      timestamp: incoming.timestamp,
    };
    this.remember(message.id, origin);
    // A resend inserts nothing (its trigger's announcement then wakes the relay for nothing).
    const rows = await this.messages.query<unknown[]>(
      `INSERT INTO chat_messages (id, client_id, sender_id, agency_id, sender, content, timestamp)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sender_id, client_id) DO NOTHING RETURNING id`,
      [message.id, message.clientId, senderId, agencyId, message.sender, message.content, message.timestamp],
    );
    return rows.length > 0;
  }

  /**
   * A page of history, oldest first: the newest `limit` messages before the message `before`, or
   * the first `limit` messages after the message `after` (a reconnecting client's catch-up), or
   * the newest `limit`. An unknown `before` gives nothing; an unknown `after` gives the newest page.
   */
  async history(
    limit: number,
    { before, after, agencyId }: { before?: string; after?: string; agencyId?: string } = {},
  ): Promise<ChatMessageResponse[]> {
    const scope: FindOptionsWhere<ChatMessage> = agencyId === undefined ? {} : { agencyId };
    if (before !== undefined) {
      const anchor = await this.messages.findOneBy({ ...scope, id: before });
      return anchor?.feedSeq ? (await this.recent(limit, anchor.feedSeq, agencyId)).map(({ message }) => message) : [];
    }
    if (after !== undefined) {
      const anchor = await this.messages.findOneBy({ ...scope, id: after });
      if (anchor?.feedSeq) return (await this.rowsAfter(anchor.feedSeq, limit, agencyId)).map(toChatMessageResponse);
    }
    return (await this.recent(limit, undefined, agencyId)).map(({ message }) => message);
  }

  /** The newest `limit` delivered messages (before `beforeSeq`; of one conversation when given) with their order, oldest first. */
  async recent(
    limit: number,
    beforeSeq?: string,
    agencyId?: string,
  ): Promise<{ seq: bigint; message: ChatMessageResponse }[]> {
    // Only what the relay has put in order: history and live delivery follow the same order.
    const where: FindOptionsWhere<ChatMessage> = {
      ...(agencyId === undefined ? {} : { agencyId }),
      feedSeq: beforeSeq === undefined ? Not(IsNull()) : LessThan(beforeSeq),
    };
    const rows = await this.messages.find({ where, order: { feedSeq: 'DESC' }, take: limit });
    return rows.reverse().map((row) => ({ seq: BigInt(row.feedSeq!), message: toChatMessageResponse(row) }));
  }

  private rowsAfter(seq: string, limit: number, agencyId?: string): Promise<ChatMessage[]> {
    const where: FindOptionsWhere<ChatMessage> = {
      feedSeq: MoreThan(seq),
      ...(agencyId === undefined ? {} : { agencyId }),
    };
    return this.messages.find({ where, order: { feedSeq: 'ASC' }, take: limit });
  }

  private remember(id: string, origin: string): void {
    this.origins.set(id, origin);
    if (this.origins.size > REMEMBERED_ORIGINS) this.origins.delete(this.origins.keys().next().value!);
  }
}
