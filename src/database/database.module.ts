import { Global, Module } from '@nestjs/common';
import { FeedRelay } from './feed-relay.js';
import { PgBus } from './pg-bus.service.js';

@Global()
@Module({
  providers: [PgBus, FeedRelay],
  exports: [PgBus, FeedRelay],
})
export class DatabaseModule {}
