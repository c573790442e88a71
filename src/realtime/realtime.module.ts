import { Global, Module } from '@nestjs/common';
import { Feeds } from './feeds.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxRepository } from './outbox.repository.js';

/**
 * What every live channel needs: the outbox relay that puts committed rows in delivery order, and
 * the ordered feeds that replay and fan them out to audiences. Features open their own feeds (the
 * notifications' SSE stream, the chat gateway): realtime/ knows feeds, not what they carry.
 */
@Global()
@Module({
  providers: [OutboxRepository, OutboxRelay, Feeds],
  exports: [Feeds],
})
export class RealtimeModule {}
