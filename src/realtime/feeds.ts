import { Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PgBus } from '../database/pg-bus.service.js';
import { OrderedFeed, type FeedItem, type ReadAfter } from './ordered-feed.js';
import { OutboxRelay } from './outbox-relay.js';
import type { OutboxTable } from './outbox.js';

/** The ordered feeds of this process: opened by the services that own their tables, started and closed here. */
@Injectable()
export class Feeds implements OnModuleInit, BeforeApplicationShutdown {
  private readonly feeds: OrderedFeed<FeedItem>[] = [];

  constructor(
    private readonly bus: PgBus,
    private readonly relay: OutboxRelay,
  ) {}

  /** Call in constructors: the feed starts after what is stored before the application serves. */
  open<T extends FeedItem>(table: OutboxTable, read: ReadAfter<T>): OrderedFeed<T> {
    const feed = new OrderedFeed<T>(this.bus, this.relay, table, read);
    this.feeds.push(feed as unknown as OrderedFeed<FeedItem>);
    return feed;
  }

  async onModuleInit(): Promise<void> {
    await Promise.all(this.feeds.map((feed) => feed.start()));
  }

  /** Followers complete: SSE streams end, chat sockets stop receiving (the gateway closes them). */
  beforeApplicationShutdown(): void {
    for (const feed of this.feeds) feed.close();
  }
}
