import { Global, Module } from '@nestjs/common';
import { Feeds } from './feeds.js';
import { OutboxRelay } from './outbox-relay.js';

/**
 * What every live channel needs: the outbox relay that puts committed rows in delivery order, and
 * the ordered feeds that replay and fan them out to audiences. SSE (notifications) and the chat
 * gateway are transports over it.
 */
@Global()
@Module({
  providers: [OutboxRelay, Feeds],
  exports: [Feeds],
})
export class RealtimeModule {}
