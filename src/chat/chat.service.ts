import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, IsNull, LessThan, MoreThan, Not, Repository, type FindOptionsWhere } from 'typeorm';
import { agenciesOf, agencyAudience, type Viewer } from '../access/audience.js';
import { Feeds } from '../realtime/feeds.js';
import { EVERY_ITEM, type FeedItem, type OrderedFeed } from '../realtime/ordered-feed.js';
import type { OutboxTable } from '../realtime/outbox.js';
import { ChatRepository } from './chat.repository.js';
import { ChatMessage } from './chat-message.entity.js';
import { toChatMessageResponse, type ChatMessageResponse } from './chat-message.response.js';
import type { IncomingChatMessage } from './incoming-chat-message.js';

const REMEMBERED_ORIGINS = 1000;

/** The chat feed's outbox table (see OutboxRelay). */
export const CHAT_OUTBOX: OutboxTable = { table: 'chat_messages', insertOrder: 'seq', channel: 'chat_messages' };

/** A stored message in delivery order, as the frame every socket is sent (serialized once). */
export interface RelayedChatMessage extends FeedItem {
  frame: string;
  /** The sending socket's id when that socket is on this process ('' otherwise). */
  origin: string;
}

@Injectable()
export class ChatService {
  private readonly feed: OrderedFeed<RelayedChatMessage>;
  /** Which local socket sent the messages this process stored lately (by message id). */
  private readonly origins = new Map<string, string>();

  constructor(
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
    private readonly chat: ChatRepository,
    feeds: Feeds,
  ) {
    this.feed = feeds.open(CHAT_OUTBOX, async (seq, limit, viewer) => {
      const agencies = viewer === EVERY_ITEM ? undefined : agenciesOf(viewer);
      if (agencies?.length === 0) return [];
      return (await this.rowsAfter(String(seq), limit, agencies)).map((row) => this.relayed(row));
    });
  }

  /**
   * What one socket receives: with `history` > 0, the last `history` messages of its conversations
   * stored (and put in order) when it connected, then every later one — never those `socketId` sent
   * itself (unless `echo`). Completes at shutdown.
   */
  follow(viewer: Viewer, socketId: string, { history, echo }: { history: number; echo: boolean }) {
    return this.feed.follow(viewer, {
      after: history > 0 ? () => this.historyStart(viewer, history) : undefined,
      except: echo ? undefined : (item) => item.origin === socketId,
    });
  }

  /**
   * Stores the message (an outbox row); once committed, the outbox relay puts it in delivery order
   * and every process relays it. No writer waits for another. Returns false for a resend (same sender,
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
    return this.chat.insert(this.messages.manager, { ...message, senderId });
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
      if (anchor?.feedSeq) {
        const rows = await this.rowsAfter(anchor.feedSeq, limit, agencyId === undefined ? undefined : [agencyId]);
        return rows.map(toChatMessageResponse);
      }
    }
    return (await this.recent(limit, undefined, agencyId)).map(({ message }) => message);
  }

  /** The newest `limit` delivered messages (before `beforeSeq`; of one conversation when given) with their order, oldest first. */
  private async recent(
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

  /** Delivered messages after `seq`, oldest first: every conversation's, or those of `agencies`. */
  private rowsAfter(seq: string, limit: number, agencies?: string[]): Promise<ChatMessage[]> {
    const where: FindOptionsWhere<ChatMessage> = {
      feedSeq: MoreThan(seq),
      ...(agencies === undefined ? {} : { agencyId: In(agencies) }),
    };
    return this.messages.find({ where, order: { feedSeq: 'ASC' }, take: limit });
  }

  /**
   * Where a socket's replay starts so that it gets the last `count` messages it may see, as stored
   * now: read from the database, not from where this process's delivery stands, which may still be
   * behind what the relay stamped.
   */
  private async historyStart(viewer: Viewer, count: number): Promise<bigint> {
    const agencies = agenciesOf(viewer);
    const [oldest] = await this.messages.find({
      select: { feedSeq: true },
      where: {
        feedSeq: Not(IsNull()),
        ...(agencies === undefined ? {} : { agencyId: In(agencies) }),
      },
      order: { feedSeq: 'DESC' },
      skip: count - 1,
      take: 1,
    });
    return oldest ? BigInt(oldest.feedSeq!) - 1n : 0n;
  }

  private relayed(row: ChatMessage): RelayedChatMessage {
    return {
      seq: BigInt(row.feedSeq!),
      audience: agencyAudience(row.agencyId),
      frame: JSON.stringify(toChatMessageResponse(row)),
      origin: this.origins.get(row.id) ?? '',
    };
  }

  private remember(id: string, origin: string): void {
    this.origins.set(id, origin);
    if (this.origins.size > REMEMBERED_ORIGINS) this.origins.delete(this.origins.keys().next().value!);
  }
}
