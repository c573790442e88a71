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
import { MoreThan, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { atExpiry, isUser, ownAgency, type Actor } from '../auth/actor.js';
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
  /** The agency it concerns: only that agency (and the admin) sees it. */
  agencyId: string;
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
    // "<id> <agency> <json>", or without the JSON when too big: listeners never parse it to route it.
    const head = `${row.id} ${row.agencyId}`;
    const payload = Buffer.byteLength(json) < MAX_NOTIFY_PAYLOAD_BYTES - 60 ? `${head} ${json}` : head;
    await publish(manager, CHANNEL, payload);
  }

  /** An agency's own notifications; the admin's (and open mode's) are every agency's. */
  async list(query: ListNotificationsQuery, actor: Actor): Promise<Page<NotificationResponse>> {
    const where: FindOptionsWhere<Notification> = scope(actor);
    if (query.unread) where.isRead = false;
    const [rows, total] = await this.notifications.findAndCount({
      where,
      order: { id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toNotificationResponse), total };
  }

  async markRead(id: string, actor: Actor): Promise<void> {
    const result = await this.notifications.update({ ...scope(actor), id }, { isRead: true });
    if (!result.affected) throw new NotFoundException('Notification not found');
  }

  async markAllRead(actor: Actor): Promise<void> {
    await this.notifications.update({ ...scope(actor), isRead: false }, { isRead: true });
  }

  /**
   * One client's event stream on `response`: where it stands (with a `retry`
   * hint), every notification after `lastEventId` from the database, then live
   * ones, with no gap and no duplicate; keepalive comments in between. The
   * Observable is what Nest's @Sse() holds: it completes on shutdown.
   */
  stream(response: ServerResponse, lastEventId: string | undefined, actor: Actor): Observable<MessageEvent> {
    const own = ownAgency(actor);
    return new Observable<MessageEvent>((subscriber) => {
      subscriber.next({ comment: 'connected' }); // Nest sends the SSE headers with it
      const from = lastEventId !== undefined ? BigInt(lastEventId) : this.lastSeq;
      const { close } = this.streams.open(
        response,
        from,
        { after: (seq) => this.after(seq, own), startAt: (seq) => this.startAt(seq) },
        own,
      );
      const shutdown = this.live.subscribe({ complete: () => subscriber.complete() });
      // A stream lives as long as its token: then it ends, and the client reconnects with a fresh one.
      const cancelExpiry = isUser(actor) ? atExpiry(actor, () => subscriber.complete()) : () => undefined;
      return () => {
        close();
        shutdown.unsubscribe();
        cancelExpiry();
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
    const [id, agencyId] = payload.split(' ', 2);
    const json = payload.slice(id.length + agencyId.length + 2);
    if (json) {
      this.deliver(formatFrame(id, agencyId, json));
      return;
    }
    const row = await this.notifications.findOneBy({ id });
    if (row) this.deliver(toFrame(row));
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

  /** The next batch after `seq`, oldest first: every agency's, or `agencyId`'s only. */
  private async after(seq: bigint, agencyId?: string): Promise<Frame[]> {
    const rows = await this.notifications.find({
      where: { id: MoreThan(String(seq)), ...(agencyId === undefined ? {} : { agencyId }) },
      order: { id: 'ASC' },
      take: REPLAY_BATCH,
    });
    return rows.map(toFrame);
  }
}

function toFrame(row: Notification): Frame {
  return formatFrame(row.id, row.agencyId, JSON.stringify(toNotificationResponse(row)));
}

/** The notifications `actor` may see, as find conditions. */
function scope(actor: Actor): FindOptionsWhere<Notification> {
  const own = ownAgency(actor);
  return own === undefined ? {} : { agencyId: own };
}
