import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, LessThan, Repository } from 'typeorm';
import { MAX_NOTIFY_PAYLOAD_BYTES, PgBus } from '../database/pg-bus.service.js';
import { ChatMessage } from './chat-message.entity.js';
import { toChatMessageResponse, type ChatMessageResponse } from './chat-message.response.js';

const CHANNEL = 'chat_messages';

/** What travels on the bus: who sent it (so that socket is skipped) and the message, or its id when too big. */
interface Envelope {
  origin: string;
  message?: ChatMessageResponse;
  id?: string;
}

export type ChatRelay = (message: ChatMessageResponse, origin: string) => void;

@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);
  private relay: ChatRelay = () => undefined;

  constructor(
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
    @InjectDataSource() private readonly dataSource: DataSource,
    bus: PgBus,
  ) {
    bus.subscribe(CHANNEL, (payload) => {
      this.onPublished(payload).catch((error: unknown) => this.logger.error(`Chat relay failed: ${String(error)}`));
    });
  }

  /** The gateway's function that writes a message to this process's sockets. */
  setRelay(relay: ChatRelay): void {
    this.relay = relay;
  }

  /**
   * Stores the message and publishes it to every process in one statement
   * (the NOTIFY fires on commit). Returns false for a resend of a stored id.
   */
  async post(message: ChatMessageResponse, origin: string): Promise<boolean> {
    const full = JSON.stringify({ origin, message } satisfies Envelope);
    const envelope =
      Buffer.byteLength(full) <= MAX_NOTIFY_PAYLOAD_BYTES ? full : JSON.stringify({ origin, id: message.id });
    const rows = await this.dataSource.query<unknown[]>(
      `WITH inserted AS (
         INSERT INTO chat_messages (id, sender, content, timestamp) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING RETURNING seq
       )
       SELECT pg_notify($5, $6) FROM inserted`,
      [message.id, message.sender, message.content, message.timestamp, CHANNEL, envelope],
    );
    return rows.length > 0;
  }

  /** The newest `limit` messages (before the message `before`, when given), oldest first. */
  async history(limit: number, before?: string): Promise<ChatMessageResponse[]> {
    let where = {};
    if (before !== undefined) {
      const anchor = await this.messages.findOneBy({ id: before });
      if (!anchor) return [];
      where = { seq: LessThan(anchor.seq) };
    }
    const rows = await this.messages.find({ where, order: { seq: 'DESC' }, take: limit });
    return rows.reverse().map(toChatMessageResponse);
  }

  private async onPublished(payload: string): Promise<void> {
    const envelope = JSON.parse(payload) as Envelope;
    let message = envelope.message;
    if (!message && envelope.id) {
      const row = await this.messages.findOneBy({ id: envelope.id });
      message = row ? toChatMessageResponse(row) : undefined;
    }
    if (message) this.relay(message, envelope.origin);
  }
}
