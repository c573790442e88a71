import { Injectable, Logger, NotFoundException, type BeforeApplicationShutdown, type MessageEvent, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Observable, Subject } from 'rxjs';
import { MoreThan, Repository, type EntityManager } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { MAX_NOTIFY_PAYLOAD_BYTES, PgBus } from '../database/pg-bus.service.js';
import type { Page } from '../common/pagination.query.js';
import { Notification, type NotificationType } from './notification.entity.js';
import { toNotificationResponse, type NotificationResponse } from './notification.response.js';
import type { ListNotificationsQuery } from './list-notifications.query.js';

const CHANNEL = 'notifications';
/** Serializes the transactions that raise notifications, so ids are assigned in commit order. */
const ID_ORDER_LOCK = 0x6e6f7469; // "noti"
const REPLAY_BATCH = 500;

export interface NewNotification {
  type: NotificationType;
  title: string;
  message: string;
  data?: Record<string, unknown>;
}

/** A notification ready to write to every stream: serialized once per process. */
interface Frame {
  seq: bigint;
  event: MessageEvent;
}

@Injectable()
export class NotificationsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  /** Every notification this process learns of, in id order, once. Feeds every SSE stream. */
  private readonly live = new Subject<Frame>();
  private lastSeq = 0n;
  private streams = 0;
  private delivery: Promise<void> = Promise.resolve();
  private readonly keepaliveMs: number;
  private readonly retryMs: number;

  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly bus: PgBus,
    config: ConfigService<Environment, true>,
  ) {
    this.keepaliveMs = config.get('SSE_KEEPALIVE_MS', { infer: true });
    this.retryMs = config.get('SSE_RETRY_MS', { infer: true });
    bus.subscribe(CHANNEL, (payload) => this.enqueue(() => this.onPublished(payload)));
    bus.onReconnect(() => this.enqueue(() => this.catchUp()));
  }

  async onModuleInit(): Promise<void> {
    const [{ max }] = await this.notifications.query<{ max: string | null }[]>('SELECT max(id) AS max FROM notifications');
    if (max !== null && BigInt(max) > this.lastSeq) this.lastSeq = BigInt(max);
  }

  /** Open SSE streams on this process. */
  get openStreams(): number {
    return this.streams;
  }

  beforeApplicationShutdown(): void {
    this.live.complete();
  }

  /** Stores a notification inside the caller's transaction; it is pushed to streams once that commits. */
  async raise(manager: EntityManager, input: NewNotification): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [ID_ORDER_LOCK]);
    const row = await manager.save(manager.create(Notification, { ...input, data: input.data ?? null }));
    const json = JSON.stringify(toNotificationResponse(row));
    const payload = Buffer.byteLength(json) <= MAX_NOTIFY_PAYLOAD_BYTES ? json : `#${row.id}`;
    await this.bus.publish(manager, CHANNEL, payload);
  }

  async list(query: ListNotificationsQuery): Promise<Page<NotificationResponse>> {
    const [rows, total] = await this.notifications.findAndCount({
      where: query.unread ? { isRead: false } : {},
      order: { id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toNotificationResponse), total };
  }

  async markRead(id: string): Promise<void> {
    const result = await this.notifications.update({ id }, { isRead: true });
    if (!result.affected) throw new NotFoundException('Notification not found');
  }

  async markAllRead(): Promise<void> {
    await this.notifications.update({ isRead: false }, { isRead: true });
  }

  /**
   * One client's event stream: a hello (its `id` is where the client stands,
   * with a `retry` hint), then every notification after `lastEventId` from the
   * database, then live ones, with no gap and no duplicate; a keepalive comment
   * in between. Completes when the application shuts down.
   */
  stream(lastEventId?: string): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      this.streams += 1;
      let cursor: bigint | null = null;
      const waiting: Frame[] = [];
      const send = (frame: Frame) => {
        if (cursor !== null && frame.seq <= cursor) return;
        cursor = frame.seq;
        subscriber.next(frame.event);
      };
      const live = this.live.subscribe({
        next: (frame) => (cursor === null ? waiting.push(frame) : send(frame)),
        complete: () => subscriber.complete(),
      });
      const keepalive = setInterval(() => subscriber.next({ comment: 'keepalive' } as MessageEvent), this.keepaliveMs);

      const start = async () => {
        let position = lastEventId !== undefined ? BigInt(lastEventId) : this.lastSeq;
        subscriber.next({ id: String(position), retry: this.retryMs, comment: 'connected' } as MessageEvent);
        if (lastEventId !== undefined) {
          for (let batch = await this.after(position); batch.length > 0 && !subscriber.closed; batch = await this.after(position)) {
            for (const frame of batch) subscriber.next(frame.event);
            position = batch[batch.length - 1].seq;
          }
        }
        cursor = position;
        waiting.splice(0).forEach(send);
      };
      start().catch((error: unknown) => subscriber.error(error));

      return () => {
        this.streams -= 1;
        clearInterval(keepalive);
        live.unsubscribe();
      };
    });
  }

  private enqueue(task: () => Promise<void>): void {
    this.delivery = this.delivery.then(task).catch((error: unknown) => {
      this.logger.error(`Notification delivery failed: ${String(error)}`);
    });
  }

  private async onPublished(payload: string): Promise<void> {
    if (payload.startsWith('#')) {
      const row = await this.notifications.findOneBy({ id: payload.slice(1) });
      if (row) this.deliver(this.toFrame(JSON.stringify(toNotificationResponse(row)), row.id));
      return;
    }
    const { id } = JSON.parse(payload) as { id: string };
    this.deliver(this.toFrame(payload, id));
  }

  /** After the listening connection was lost: push what was stored meanwhile. */
  private async catchUp(): Promise<void> {
    for (let batch = await this.after(this.lastSeq); batch.length > 0; batch = await this.after(this.lastSeq)) {
      batch.forEach((frame) => this.deliver(frame));
    }
  }

  private deliver(frame: Frame): void {
    if (frame.seq <= this.lastSeq) return;
    this.lastSeq = frame.seq;
    this.live.next(frame);
  }

  private async after(seq: bigint): Promise<Frame[]> {
    const rows = await this.notifications.find({
      where: { id: MoreThan(String(seq)) },
      order: { id: 'ASC' },
      take: REPLAY_BATCH,
    });
    return rows.map((row) => this.toFrame(JSON.stringify(toNotificationResponse(row)), row.id));
  }

  private toFrame(json: string, id: string): Frame {
    return { seq: BigInt(id), event: Object.freeze({ id, data: json }) };
  }
}
