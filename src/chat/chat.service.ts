import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, LessThan, MoreThan, Repository, type FindOptionsWhere } from 'typeorm';
import { MAX_NOTIFY_PAYLOAD_BYTES, PgBus, publish } from '../database/pg-bus.service.js';
import { ChatMessage } from './chat-message.entity.js';
import { toChatMessageResponse, type ChatMessageResponse } from './chat-message.response.js';
import type { IncomingChatMessage } from './incoming-chat-message.js';

const CHANNEL = 'chat_messages';
/** Serializes chat inserts, so `seq` follows commit order (and so NOTIFY order). */
const CHAT_ORDER_LOCK = 0x63686174; // "chat"
const CATCH_UP_BATCH = 500;
const REMEMBERED_ORIGINS = 1000;

/** What travels on the bus: who sent it (that socket is skipped), its seq, and the message unless too big. */
interface Envelope {
  origin: string;
  seq: string;
  message?: ChatMessageResponse;
}

export type ChatRelay = (message: ChatMessageResponse, origin: string, seq: bigint) => void;

@Injectable()
export class ChatService implements OnModuleInit {
  private readonly logger = new Logger(ChatService.name);
  private relay: ChatRelay = () => undefined;
  /** The last message relayed by this process: NOTIFYs at or below it are duplicates. */
  private lastSeq = 0n;
  private delivery: Promise<void> = Promise.resolve();
  /** Who sent the messages this process stored lately, so a catch-up still skips their senders. */
  private readonly origins = new Map<string, string>();

  constructor(
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
    @InjectDataSource() private readonly dataSource: DataSource,
    bus: PgBus,
  ) {
    bus.subscribe(CHANNEL, (payload) => this.enqueue(() => this.onPublished(payload)));
    bus.onReconnect(() => this.enqueue(() => this.catchUp()));
  }

  async onModuleInit(): Promise<void> {
    const [{ max }] = await this.messages.query<{ max: string | null }[]>('SELECT max(seq) AS max FROM chat_messages');
    if (max !== null && BigInt(max) > this.lastSeq) this.lastSeq = BigInt(max);
  }

  /** The gateway's function that writes a message to this process's sockets. */
  setRelay(relay: ChatRelay): void {
    this.relay = relay;
  }

  /**
   * Stores the message and publishes it to every process (the NOTIFY fires on
   * commit). Returns false for a resend of a stored id: nothing is stored or sent.
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
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAT_ORDER_LOCK]);
      // A resend is the same sender with the same client id (two senders may well pick the same id).
      const rows = await manager.query<{ seq: string }[]>(
        `INSERT INTO chat_messages (id, client_id, sender_id, agency_id, sender, content, timestamp)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (sender_id, client_id) DO NOTHING RETURNING seq`,
        [message.id, message.clientId, senderId, agencyId, message.sender, message.content, message.timestamp],
      );
      if (rows.length === 0) return false;
      const { seq } = rows[0];
      this.remember(seq, origin);
      const full = JSON.stringify({ origin, seq, message } satisfies Envelope);
      const envelope = Buffer.byteLength(full) <= MAX_NOTIFY_PAYLOAD_BYTES ? full : JSON.stringify({ origin, seq });
      await publish(manager, CHANNEL, envelope);
      return true;
    });
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
      return anchor ? (await this.recent(limit, anchor.seq, agencyId)).map(({ message }) => message) : [];
    }
    if (after !== undefined) {
      const anchor = await this.messages.findOneBy({ ...scope, id: after });
      if (anchor) return (await this.rowsAfter(anchor.seq, limit, agencyId)).map(toChatMessageResponse);
    }
    return (await this.recent(limit, undefined, agencyId)).map(({ message }) => message);
  }

  /** The newest `limit` messages (before `beforeSeq`; of one conversation when given) with their order, oldest first. */
  async recent(
    limit: number,
    beforeSeq?: string,
    agencyId?: string,
  ): Promise<{ seq: bigint; message: ChatMessageResponse }[]> {
    const where: FindOptionsWhere<ChatMessage> = agencyId === undefined ? {} : { agencyId };
    if (beforeSeq !== undefined) where.seq = LessThan(beforeSeq);
    const rows = await this.messages.find({ where, order: { seq: 'DESC' }, take: limit });
    return rows.reverse().map((row) => ({ seq: BigInt(row.seq), message: toChatMessageResponse(row) }));
  }

  private enqueue(task: () => Promise<void>): void {
    this.delivery = this.delivery.then(task).catch((error: unknown) => {
      this.logger.error(`Chat relay failed: ${String(error)}`);
    });
  }

  private async onPublished(payload: string): Promise<void> {
    const envelope = JSON.parse(payload) as Envelope;
    const seq = BigInt(envelope.seq);
    if (seq <= this.lastSeq) return;
    let message = envelope.message;
    if (!message) {
      const row = await this.messages.findOneBy({ seq: envelope.seq });
      if (!row) return;
      message = toChatMessageResponse(row);
    }
    this.lastSeq = seq;
    this.relay(message, envelope.origin, seq);
  }

  /** After the listening connection was lost: relay what was stored meanwhile, in order, once. */
  private async catchUp(): Promise<void> {
    for (;;) {
      const rows = await this.rowsAfter(String(this.lastSeq), CATCH_UP_BATCH);
      if (rows.length === 0) return;
      for (const row of rows) {
        this.lastSeq = BigInt(row.seq);
        // A message from another process has no sender here: every local socket gets it.
        this.relay(toChatMessageResponse(row), this.origins.get(row.seq) ?? '', BigInt(row.seq));
      }
    }
  }

  private rowsAfter(seq: string, limit: number, agencyId?: string): Promise<ChatMessage[]> {
    const where: FindOptionsWhere<ChatMessage> = {
      seq: MoreThan(seq),
      ...(agencyId === undefined ? {} : { agencyId }),
    };
    return this.messages.find({ where, order: { seq: 'ASC' }, take: limit });
  }

  private remember(seq: string, origin: string): void {
    this.origins.set(seq, origin);
    if (this.origins.size > REMEMBERED_ORIGINS) this.origins.delete(this.origins.keys().next().value!);
  }
}
