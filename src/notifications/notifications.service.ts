import {
  Injectable,
  Logger,
  NotFoundException,
  type BeforeApplicationShutdown,
  type MessageEvent,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { ServerResponse } from 'node:http';
import { Observable, Subject } from 'rxjs';
import { MoreThan, Repository, type EntityManager } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { Metrics } from '../metrics/metrics.service.js';
import { MAX_NOTIFY_PAYLOAD_BYTES, PgBus, publish } from '../database/pg-bus.service.js';
import type { Page } from '../common/pagination.query.js';
import { Notification, type NotificationType } from './notification.entity.js';
import { toNotificationResponse, type NotificationResponse } from './notification.response.js';
import type { ListNotificationsQuery } from './list-notifications.query.js';
import { formatFrame, NotificationStreams, type Frame } from './notification-streams.js';

const CHANNEL = 'notifications';
/** Serializes the transactions that raise notifications, so ids are assigned in commit order. */
const ID_ORDER_LOCK = 0x6e6f7469; // "noti"
const REPLAY_BATCH = 500;
const MAX_BACKLOG_BYTES = 1024 * 1024;

export interface NewNotification {
  type: NotificationType;
  title: string;
  message: string;
  data?: Record<string, unknown>;
}

@Injectable()
export class NotificationsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  /** Every notification this process learns of, in id order, once. Feeds every SSE stream. */
  private readonly live = new Subject<Frame>();
  private readonly streams: NotificationStreams;
  private lastSeq = 0n;
  private delivery: Promise<void> = Promise.resolve();
  private lastReplayWarning = 0;

  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    bus: PgBus,
    config: ConfigService<Environment, true>,
    private readonly metrics: Metrics,
  ) {
    metrics.gauge('sse_open_streams', 'Open SSE notification streams on this process', () => this.openStreams);
    this.streams = new NotificationStreams(this.live, {
      keepaliveMs: config.get('SSE_KEEPALIVE_MS', { infer: true }),
      retryMs: config.get('SSE_RETRY_MS', { infer: true }),
      maxBacklogBytes: MAX_BACKLOG_BYTES,
      onReplayError: (error) => this.warnReplayWaits(error),
      onDelivered: (count) => metrics.sseDelivered.inc(count),
      onDropped: () => metrics.sseDropped.inc(),
    });
    bus.subscribe(CHANNEL, (payload) => this.enqueue(() => this.onPublished(payload)));
    bus.onReconnect(() => this.enqueue(() => this.catchUp()));
  }

  async onModuleInit(): Promise<void> {
    const newest = await this.newestId();
    if (newest > this.lastSeq) this.lastSeq = newest;
  }

  /** Open SSE streams on this process. */
  get openStreams(): number {
    return this.streams.size;
  }

  beforeApplicationShutdown(): void {
    this.streams.close();
    this.live.complete();
  }

  /** Stores a notification inside the caller's transaction; it is pushed to streams once that commits. */
  async raise(manager: EntityManager, input: NewNotification): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [ID_ORDER_LOCK]);
    const row = await manager.save(manager.create(Notification, { ...input, data: input.data ?? null }));
    const json = JSON.stringify(toNotificationResponse(row));
    // "<id> <json>", or "<id>" alone when too big: listeners never parse the JSON to find the id.
    const payload = Buffer.byteLength(json) < MAX_NOTIFY_PAYLOAD_BYTES - 20 ? `${row.id} ${json}` : row.id;
    await publish(manager, CHANNEL, payload);
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
   * One client's event stream on `response`: where it stands (with a `retry`
   * hint), every notification after `lastEventId` from the database, then live
   * ones, with no gap and no duplicate; keepalive comments in between. The
   * Observable is what Nest's @Sse() holds: it completes on shutdown.
   */
  stream(response: ServerResponse, lastEventId?: string): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      subscriber.next({ comment: 'connected' }); // Nest sends the SSE headers with it
      const from = lastEventId !== undefined ? BigInt(lastEventId) : this.lastSeq;
      const { close } = this.streams.open(response, from, {
        after: (seq) => this.after(seq),
        startAt: (seq) => this.startAt(seq),
      });
      const shutdown = this.live.subscribe({ complete: () => subscriber.complete() });
      return () => {
        close();
        shutdown.unsubscribe();
      };
    });
  }

  /** An id this process has seen is real; a larger one is checked against what is stored. */
  private async startAt(seq: bigint): Promise<bigint> {
    if (seq <= this.lastSeq) return seq;
    const newest = await this.newestId();
    return seq > newest ? newest : seq;
  }

  /** Every waiting stream retries on its own: one log line per 10 s says it, not one per stream. */
  private warnReplayWaits(error: unknown): void {
    if (Date.now() - this.lastReplayWarning < 10_000) return;
    this.lastReplayWarning = Date.now();
    this.logger.warn(`SSE streams wait for the database to replay: ${String(error)}`);
  }

  private async newestId(): Promise<bigint> {
    const [{ max }] = await this.notifications.query<{ max: string | null }[]>(
      'SELECT max(id) AS max FROM notifications',
    );
    return BigInt(max ?? 0);
  }

  private enqueue(task: () => Promise<void>): void {
    this.delivery = this.delivery.then(task).catch((error: unknown) => {
      this.logger.error(`Notification delivery failed: ${String(error)}`);
    });
  }

  private async onPublished(payload: string): Promise<void> {
    const space = payload.indexOf(' ');
    if (space > 0) {
      this.deliver(formatFrame(payload.slice(0, space), payload.slice(space + 1)));
      return;
    }
    const row = await this.notifications.findOneBy({ id: payload });
    if (row) this.deliver(formatFrame(row.id, JSON.stringify(toNotificationResponse(row))));
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
    this.metrics.notificationsPublished.inc();
    this.live.next(frame);
  }

  private async after(seq: bigint): Promise<Frame[]> {
    const rows = await this.notifications.find({
      where: { id: MoreThan(String(seq)) },
      order: { id: 'ASC' },
      take: REPLAY_BATCH,
    });
    return rows.map((row) => formatFrame(row.id, JSON.stringify(toNotificationResponse(row))));
  }
}
