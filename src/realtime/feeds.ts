import { Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PgBus } from '../database/pg-bus.service.js';
import { OrderedFeed, type FeedItem, type ReadAfter } from './ordered-feed.js';
import { OutboxRelay } from './outbox-relay.js';
import type { OutboxTable } from './outbox.js';

/**
 * The ordered feeds of this process: each feature opens its own (naming its outbox table and how
 * its rows are read), and they are started and closed here. realtime/ knows feeds, not what they carry.
 */
@Injectable()
export class Feeds implements OnModuleInit, BeforeApplicationShutdown {
  private readonly feeds: OrderedFeed<FeedItem>[] = [];
  private started = false;

  constructor(
    private readonly bus: PgBus,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Opens a feed; from a provider's constructor, so that it starts with the others, after what is
   * stored before the application serves. Opening one later is a mistake, and fails loudly.
   */
  open<T extends FeedItem>(table: OutboxTable, read: ReadAfter<T>): OrderedFeed<T> {
    if (this.started) throw new Error(`The ${table.table} feed was opened after the feeds started`);
    const feed = new OrderedFeed<T>(this.bus, this.relay, table, read);
    this.feeds.push(feed as unknown as OrderedFeed<FeedItem>);
    return feed;
  }

  async onModuleInit(): Promise<void> {
    this.started = true;
    await Promise.all(this.feeds.map((feed) => feed.start()));
  }

  /** Followers complete: SSE streams end, chat sockets stop receiving (the gateway closes them). */
  beforeApplicationShutdown(): void {
    for (const feed of this.feeds) feed.close();
  }
}
