import { Global, Module } from '@nestjs/common';
import { DatabaseAvailability } from './availability.js';
import { PgBus } from './pg-bus.service.js';
import { TableChanges } from './table-changes.js';

@Global()
@Module({
  providers: [PgBus, DatabaseAvailability, TableChanges],
  exports: [PgBus, DatabaseAvailability, TableChanges],
})
export class DatabaseModule {}
