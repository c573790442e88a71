import { Global, Module } from '@nestjs/common';
import { AfterCommitHooks } from './after-commit.js';
import { FeedRelay } from './feed-relay.js';
import { PgBus } from './pg-bus.service.js';

@Global()
@Module({
  providers: [PgBus, FeedRelay, AfterCommitHooks],
  exports: [PgBus, FeedRelay],
})
export class DatabaseModule {}
