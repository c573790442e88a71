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
import { interval, map, merge, Observable, share, Subject, takeUntil } from 'rxjs';
import { MoreThan, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { atExpiry, isUser, ownAgency, type Actor } from '../auth/actor.js';
import type { Environment } from '../config/environment.js';
import { announce, FeedRelay } from '../database/feed-relay.js';
import { OrderedFeed, type FeedItem } from '../database/ordered-feed.js';
import { PgBus } from '../database/pg-bus.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import type { Page } from '../common/pagination.query.js';
import { Notification, NOTIFICATIONS_FEED, type NotificationType } from './notification.entity.js';
import { toNotificationResponse, type NotificationResponse } from './notification.response.js';
import type { ListNotificationsQuery } from './list-notifications.query.js';

const FEED = NOTIFICATIONS_FEED;
const REPLAY_BATCH = 500;
/** While the database cannot replay (an outage), a stream waits and tries again; the client keeps its place. */
const REPLAY_RETRY_MS = 1000;

export interface NewNotification {
  /** The agency it concerns: only that agency (and the admin) sees it. */
  agencyId: string;
  type: NotificationType;
  title: string;
  message: string;
  data?: Record<string, unknown>;
}

/** A notification in delivery order, serialized once for every stream. */
interface FeedNotification extends FeedItem {
  agencyId: string;
  json: string;
}

@Injectable()
export class NotificationsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly feed: OrderedFeed<FeedNotification>;
  /** One timer for every stream's keepalive comment. */
  private readonly keepalive: Observable<MessageEvent>;
  private readonly shutdown = new Subject<void>();
  private readonly retryMs: number;
  private streams = 0;
  private lastReplayWarning = 0;

  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    bus: PgBus,
    relay: FeedRelay,
    config: ConfigService<Environment, true>,
    private readonly metrics: Metrics,
  ) {
    relay.register(FEED);
    this.feed = new OrderedFeed(bus, {
      channel: FEED.channel,
      after: (seq, limit) => this.after(seq, limit),
      newest: () => this.newest(),
    });
    this.feed.items.subscribe(() => metrics.notificationsPublished.inc());
    this.retryMs = config.get('SSE_RETRY_MS', { infer: true });
    this.keepalive = interval(config.get('SSE_KEEPALIVE_MS', { infer: true })).pipe(
      map((): MessageEvent => ({ comment: 'keepalive' })),
      share(),
    );
    metrics.gauge('sse_open_streams', 'Open SSE notification streams on this process', () => this.openStreams);
  }

  /** The feed_seq of the last notification this process delivered to its streams. */
  get deliveredUpTo(): bigint {
    return this.feed.position;
  }

  /** Open SSE streams on this process. */
  get openStreams(): number {
    return this.streams;
  }

  async onModuleInit(): Promise<void> {
    await this.feed.start();
  }

  beforeApplicationShutdown(): void {
    this.shutdown.next();
    this.shutdown.complete();
    this.feed.close();
  }

  /**
   * Stores a notification inside the caller's transaction. Nothing here waits for other writers:
   * once the transaction commits, the feed relay gives it its place in delivery order and every
   * process pushes it to its streams.
   */
  async raise(manager: EntityManager, input: NewNotification): Promise<void> {
    await manager.query(
      'INSERT INTO notifications (agency_id, type, title, message, data) VALUES ($1, $2, $3, $4, $5)',
      [input.agencyId, input.type, input.title, input.message, input.data ?? null],
    );
    await announce(manager, FEED);
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
   * One reader's event stream, as Nest's @Sse() writes it: where it stands (`id`, with a `retry`
   * hint), every notification it may see after `lastEventId` from the database, then the live
   * ones from the feed, with no gap and no duplicate (live items wait while the replay runs);
   * keepalive comments in between. It ends with the token that opened it, and at shutdown.
   */
  stream(lastEventId: string | undefined, actor: Actor): Observable<MessageEvent> {
    const own = ownAgency(actor);
    const events = new Observable<MessageEvent>((subscriber) => {
      this.streams += 1;
      let position = 0n;
      let waiting: FeedNotification[] | null = [];
      const send = (item: FeedNotification) => {
        if (item.seq <= position) return; // replayed already
        position = item.seq;
        this.metrics.sseDelivered.inc();
        subscriber.next({ id: String(item.seq), data: item.json });
      };
      const live = this.feed.items.subscribe((item) => {
        if (own !== undefined && item.agencyId !== own) return;
        if (waiting) waiting.push(item);
        else send(item);
      });
      const replay = async () => {
        const claimed = lastEventId !== undefined ? BigInt(lastEventId) : this.feed.position;
        const start = await this.patiently(
          () => this.startAt(claimed),
          () => subscriber.closed,
        );
        if (start === undefined) return;
        position = start;
        subscriber.next({ id: String(position), retry: this.retryMs });
        for (;;) {
          const batch = await this.patiently(
            () => this.after(position, REPLAY_BATCH, own),
            () => subscriber.closed,
          );
          if (batch === undefined) return;
          batch.forEach(send);
          if (batch.length < REPLAY_BATCH) break;
        }
        const fresh = waiting ?? [];
        waiting = null;
        fresh.forEach(send);
      };
      replay().catch((error: unknown) => subscriber.error(error));
      return () => {
        this.streams -= 1;
        live.unsubscribe();
      };
    });
    const ends = isUser(actor)
      ? merge(this.shutdown, new Observable<void>((subscriber) => atExpiry(actor, () => subscriber.next())))
      : this.shutdown;
    return merge(events, this.keepalive).pipe(takeUntil(ends));
  }

  /** Where a client that claims to stand at `seq` really starts: there, or at the newest if that is older (a database reset). */
  private async startAt(seq: bigint): Promise<bigint> {
    if (seq <= this.feed.position) return seq;
    const newest = await this.newest();
    return seq > newest ? newest : seq;
  }

  /** Runs `load` until it succeeds (the database may be down); undefined once `gone`. */
  private async patiently<T>(load: () => Promise<T>, gone: () => boolean): Promise<T | undefined> {
    for (let delay = REPLAY_RETRY_MS; !gone(); delay = Math.min(delay * 2, 5000)) {
      try {
        return await load();
      } catch (error) {
        this.warnReplayWaits(error);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
    return undefined;
  }

  /** Every waiting stream retries on its own: one log line per 10 s says it, not one per stream. */
  private warnReplayWaits(error: unknown): void {
    if (Date.now() - this.lastReplayWarning < 10_000) return;
    this.lastReplayWarning = Date.now();
    this.logger.warn(`SSE streams wait for the database to replay: ${String(error)}`);
  }

  private async newest(): Promise<bigint> {
    const [{ max }] = await this.notifications.query<{ max: string | null }[]>(
      'SELECT max(feed_seq) AS max FROM notifications',
    );
    return BigInt(max ?? 0);
  }

  /** The next notifications in delivery order after `seq`: every agency's, or `agencyId`'s only. */
  private async after(seq: bigint, limit: number, agencyId?: string): Promise<FeedNotification[]> {
    const rows = await this.notifications.find({
      where: { feedSeq: MoreThan(String(seq)), ...(agencyId === undefined ? {} : { agencyId }) },
      order: { feedSeq: 'ASC' },
      take: limit,
    });
    return rows.map((row) => ({
      seq: BigInt(row.feedSeq!),
      agencyId: row.agencyId,
      json: JSON.stringify(toNotificationResponse(row)),
    }));
  }
}

/** The notifications `actor` may see, as find conditions. */
function scope(actor: Actor): FindOptionsWhere<Notification> {
  const own = ownAgency(actor);
  return own === undefined ? {} : { agencyId: own };
}
