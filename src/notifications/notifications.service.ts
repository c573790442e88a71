import { Injectable, NotFoundException, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Observable } from 'rxjs';
import { MoreThan, Repository, type FindOptionsWhere } from 'typeorm';
import { ownAgency, type Actor } from '../auth/actor.js';
import type { AtomicWrite } from '../database/atomic-write.js';
import { FeedRelay } from '../database/feed-relay.js';
import { OrderedFeed, type FeedItem } from '../database/ordered-feed.js';
import { PgBus } from '../database/pg-bus.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import type { Page } from '../common/pagination.query.js';
import { Notification, NOTIFICATIONS_FEED, type NotificationType } from './notification.entity.js';
import { toNotificationResponse, type NotificationResponse } from './notification.response.js';
import type { ListNotificationsQuery } from './list-notifications.query.js';

export interface NewNotification {
  /** The agency it concerns: only that agency (and the admin) sees it. */
  agencyId: string;
  type: NotificationType;
  title: string;
  message: string;
  data?: Record<string, unknown>;
}

/** A notification in delivery order, as an SSE event: formatted and encoded once for every stream. */
export interface FeedNotification extends FeedItem {
  agencyId: string;
  frame: Buffer;
}

@Injectable()
export class NotificationsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly feed: OrderedFeed<FeedNotification>;
  /** Every notification once, in delivery order, from every process: what SSE streams are fed live. */
  readonly live: Observable<FeedNotification>;

  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    bus: PgBus,
    relay: FeedRelay,
    metrics: Metrics,
  ) {
    this.feed = new OrderedFeed(bus, relay, NOTIFICATIONS_FEED, (seq, limit) => this.after(seq, limit));
    this.live = this.feed.items;
    this.live.subscribe(() => metrics.notificationsPublished.inc());
  }

  /** The feed_seq of the last notification this process delivered to its streams. */
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
   * Stores a notification with the write that raised it: it commits with that write or not at all.
   * Nothing here waits for other writers: once it commits, its trigger's NOTIFY wakes the feed relay,
   * which gives it its place in delivery order, and every process pushes it to its streams.
   */
  raise(write: AtomicWrite, input: NewNotification): void {
    write.insert(Notification, { ...input, data: input.data ?? null });
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

  /** Where a client that claims to stand at `seq` really starts: there, or at the newest if that is older (a database reset). */
  async startAt(seq: bigint): Promise<bigint> {
    if (seq <= this.feed.position) return seq;
    const newest = await this.feed.newest();
    return seq > newest ? newest : seq;
  }

  /** The next notifications in delivery order after `seq`: every agency's, or `agencyId`'s only. */
  async after(seq: bigint, limit: number, agencyId?: string): Promise<FeedNotification[]> {
    const rows = await this.notifications.find({
      where: { feedSeq: MoreThan(String(seq)), ...(agencyId === undefined ? {} : { agencyId }) },
      order: { feedSeq: 'ASC' },
      take: limit,
    });
    return rows.map((row) => ({
      seq: BigInt(row.feedSeq!),
      agencyId: row.agencyId,
      frame: Buffer.from(`id: ${row.feedSeq}\ndata: ${JSON.stringify(toNotificationResponse(row))}\n\n`),
    }));
  }
}

/** The notifications `actor` may see, as find conditions. */
function scope(actor: Actor): FindOptionsWhere<Notification> {
  const own = ownAgency(actor);
  return own === undefined ? {} : { agencyId: own };
}
