import { Injectable, type MessageEvent, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { map, merge, share, Subject, take, takeUntil, type Observable } from 'rxjs';
import { In, IsNull, MoreThan, Repository, type FindOptionsWhere } from 'typeorm';
import { isUser, type Actor } from '../access/actor.js';
import type { Page } from '../common/pagination.query.js';
import { Standing } from '../access/standing.js';
import type { Environment } from '../config/environment.js';
import { Metrics } from '../metrics/metrics.service.js';
import {
  agenciesOf,
  agencyAudience,
  userAudience,
  usersOf,
  viewerOf,
  type AudienceKey,
  type Viewer,
} from '../access/audience.js';
import { tokenExpiry } from '../realtime/clients.js';
import { Feeds } from '../realtime/feeds.js';
import { EVERY_ITEM, type FeedItem, type FollowOptions, type OrderedFeed } from '../realtime/ordered-feed.js';
import { NOTIFICATIONS_OUTBOX } from './notice.js';
import type { ListNotificationsQuery } from './list-notifications.query.js';
import { Notification } from './notification.entity.js';
import { toNotificationResponse, type NotificationResponse } from './notification.response.js';
import { NotFound } from '../common/domain-errors.js';
import type { Locale } from '../config/locale.js';
import { ReaderLocale } from './reader-locale.js';

/**
 * A notification in delivery order, and the SSE event every stream that sees it is sent: built once
 * in English (Nest writes its `id` and `data` and reads nothing else), and once more per other
 * language a stream of this process reads it in (`inLocale`), never once per stream.
 */
interface LiveNotification extends FeedItem, MessageEvent {
  id: string;
  data: string;
  row: Notification;
  worded?: Map<Locale, MessageEvent>;
}

/** `item`'s event for a reader of `locale`. */
function inLocale(item: LiveNotification, locale: Locale): MessageEvent {
  if (locale === 'en') return item;
  let event = item.worded?.get(locale);
  if (!event) {
    event = { id: item.id, data: JSON.stringify(toNotificationResponse(item.row, locale)) };
    (item.worded ??= new Map()).set(locale, event);
  }
  return event;
}

const KEEPALIVE: MessageEvent = { comment: 'keepalive' };

@Injectable()
export class NotificationsService implements OnApplicationShutdown {
  private readonly feed: OrderedFeed<LiveNotification>;
  /** Every notification once, in delivery order, from every process: what SSE streams are fed live. */
  readonly live: Observable<LiveNotification>;
  /** One timer for every stream's keepalive comment. */
  private readonly keepalive = new Subject<MessageEvent>();
  private readonly keepaliveTimer: NodeJS.Timeout;
  private readonly retryMs: number;

  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    feeds: Feeds,
    private readonly standing: Standing,
    private readonly readers: ReaderLocale,
    metrics: Metrics,
    config: ConfigService<Environment, true>,
  ) {
    this.feed = feeds.open(NOTIFICATIONS_OUTBOX, (seq, limit, viewer) => this.after(seq, limit, viewer));
    this.live = this.feed.live;
    this.live.subscribe(() => metrics.notificationsPublished.inc());
    this.keepaliveTimer = setInterval(
      () => this.keepalive.next(KEEPALIVE),
      config.get('SSE_KEEPALIVE_MS', { infer: true }),
    );
    this.keepaliveTimer.unref();
    this.retryMs = config.get('SSE_RETRY_MS', { infer: true });
    metrics.gauge('sse_open_streams', 'Open SSE notification streams on this process', () => this.openStreams);
    metrics.counter(
      'sse_events_delivered_total',
      'Notification events sent to SSE streams (replays included)',
      () => this.feed.delivered,
    );
  }

  onApplicationShutdown(): void {
    clearInterval(this.keepaliveTimer);
  }

  /** What a stream sends first: where it stands (its `id`) and the reconnection hint, no data. */
  private readonly opening = (start: bigint): MessageEvent => ({ id: String(start), retry: this.retryMs });

  /** How a stream follows the feed from where delivery stands (one object for all of them). */
  private readonly fromNow: FollowOptions<LiveNotification, MessageEvent, MessageEvent> = {
    opening: this.opening,
    heartbeat: this.keepalive,
  };

  /** Open SSE streams on this process. */
  get openStreams(): number {
    return this.feed.followers;
  }

  /** The feed_seq of the last notification this process delivered to its streams. */
  get deliveredUpTo(): bigint {
    return this.feed.position;
  }

  /**
   * The SSE stream of `actor`: first where it stands (an `id` and the `retry` hint, no data), then
   * every notification it may see after `lastEventId` (or after what was delivered until now), then
   * live ones, with keepalive comments between. It ends when the token that opened it expires (the
   * client reconnects with a fresh one) or its account is suspended, after an `end` event naming
   * why, and at shutdown.
   */
  stream(actor: Actor, locale: Locale, lastEventId?: string): Observable<MessageEvent> {
    const claimed = lastEventId === undefined ? undefined : BigInt(lastEventId);
    const options = claimed === undefined ? this.fromNow : { ...this.fromNow, after: () => this.feed.startAt(claimed) };
    const followed = this.feed.follow(viewerOf(actor), options);
    const events =
      locale === 'en' ? followed : followed.pipe(map((event) => ('row' in event ? inLocale(event, locale) : event)));
    if (!isUser(actor)) return events;
    // Why it ends, as a named event (`event: end`) the dashboard's onmessage ignores, then the end.
    const end = merge(
      tokenExpiry(actor).pipe(map(() => 'token expired')),
      this.standing.suspended(actor).pipe(map(() => 'account suspended')),
    ).pipe(take(1), share());
    return merge(
      events.pipe(takeUntil(end)),
      end.pipe(map((reason): MessageEvent => ({ type: 'end', data: { reason } }))),
    );
  }

  /**
   * An agency's own notifications; the admin's (and open mode's) are every agency's. Newest first by
   * the time each shows (`createdAt`), the id breaking ties: ids are taken in insertion order, which
   * concurrent transactions may commit in another order than their times.
   */
  async list(query: ListNotificationsQuery, actor: Actor): Promise<Page<NotificationResponse>> {
    const where = scoped(actor, {
      ...(query.unread ? { isRead: false } : {}),
      ...(query.category ? { category: query.category } : {}),
    });
    if (where.length === 0) return { items: [], total: 0 };
    const [[rows, total], locale] = await Promise.all([
      this.notifications.findAndCount({
        where,
        order: { createdAt: 'DESC', id: 'DESC' },
        take: query.limit,
        skip: query.offset,
      }),
      this.readers.of(actor),
    ]);
    return { items: rows.map((row) => toNotificationResponse(row, locale)), total };
  }

  /** The language `actor` reads notifications in (see ReaderLocale). */
  localeOf(actor: Actor): Promise<Locale> {
    return this.readers.of(actor);
  }

  async markRead(id: string, actor: Actor): Promise<void> {
    const where = scoped(actor, { id });
    const result = where.length === 0 ? { affected: 0 } : await this.notifications.update(where, { isRead: true });
    if (!result.affected) throw new NotFound('Notification not found');
  }

  /** Removes one notification from the reader's inbox (within the same scope as reading it). */
  async remove(id: string, actor: Actor): Promise<void> {
    const where = scoped(actor, { id });
    const result = where.length === 0 ? { affected: 0 } : await this.notifications.delete(where);
    if (!result.affected) throw new NotFound('Notification not found');
  }

  async markAllRead(actor: Actor): Promise<void> {
    const where = scoped(actor, { isRead: false });
    if (where.length > 0) await this.notifications.update(where, { isRead: true });
  }

  /** The next notifications in delivery order after `seq` that `viewer` may see, as SSE events. */
  private async after(seq: bigint, limit: number, viewer: Viewer | typeof EVERY_ITEM): Promise<LiveNotification[]> {
    const after = { feedSeq: MoreThan(String(seq)) };
    const where = viewer === EVERY_ITEM ? [after] : addressedTo(viewer).map((scope) => ({ ...scope, ...after }));
    if (where.length === 0) return [];
    const rows = await this.notifications.find({ where, order: { feedSeq: 'ASC' }, take: limit });
    return rows.map((row) => ({
      seq: BigInt(row.feedSeq!),
      audience: audienceOf(row),
      // Serialized once here: every stream is sent this same object.
      id: row.feedSeq!,
      data: JSON.stringify(toNotificationResponse(row, 'en')),
      row,
    }));
  }
}

/** The notifications `actor` may see (see addressedTo), narrowed by `also`. */
function scoped(actor: Actor, also: FindOptionsWhere<Notification>): FindOptionsWhere<Notification>[] {
  return addressedTo(viewerOf(actor)).map((scope) => ({ ...scope, ...also }));
}

/**
 * What `viewer` (viewerOf: the one scope) receives, as alternative find conditions (none: nothing):
 * the list, its count, read marks and the stream's replay all use these.
 */
function addressedTo(viewer: Viewer): FindOptionsWhere<Notification>[] {
  const where: FindOptionsWhere<Notification>[] = [];
  const agencies = agenciesOf(viewer);
  if (agencies === undefined) where.push({ recipientSub: IsNull() });
  else if (agencies.length > 0) where.push({ recipientSub: IsNull(), agencyId: In(agencies) });
  const users = usersOf(viewer);
  if (users.length > 0) where.push({ recipientSub: In(users) });
  return where;
}

/** Who a stored notification is for: one user, one agency, or the admin team alone. */
function audienceOf(row: Notification): AudienceKey {
  if (row.recipientSub !== null) return userAudience(row.recipientSub);
  return row.agencyId === null ? 'admins' : agencyAudience(row.agencyId);
}
