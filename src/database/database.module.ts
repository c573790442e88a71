import { Global, Module } from '@nestjs/common';
import { DatabaseAvailability } from './availability.js';
import { PgBus } from './pg-bus.service.js';
import { TableChanges } from './table-changes.js';
import { Transactions } from './transactions.js';

@Global()
@Module({
  providers: [PgBus, DatabaseAvailability, TableChanges, Transactions],
  exports: [PgBus, DatabaseAvailability, TableChanges, Transactions],
})
export class DatabaseModule {}
