import { Global, Module } from '@nestjs/common';
import { PgBus } from './pg-bus.service.js';

@Global()
@Module({
  providers: [PgBus],
  exports: [PgBus],
})
export class DatabaseModule {}
