import { Global, Module } from '@nestjs/common';
import { Standing } from './standing.js';
import { StandingRepository } from './standing.repository.js';

/**
 * Who may see or do what: the roles' table (policies.ts), the audiences of live items
 * (audience.ts), and the standing of agencies and accounts (Standing), for every feature to ask.
 */
@Global()
@Module({
  providers: [StandingRepository, Standing],
  exports: [Standing, StandingRepository],
})
export class AccessModule {}
