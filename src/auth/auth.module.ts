import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Agency } from '../agencies/agency.entity.js';
import { AuthGuard } from './auth.guard.js';
import { Standing } from './standing.js';
import { TokenVerifier } from './token-verifier.service.js';

/** Identity: the token verifier, and the guard every HTTP route passes. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Agency])],
  providers: [TokenVerifier, Standing, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenVerifier, Standing],
})
export class AuthModule {}
