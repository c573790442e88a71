import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Account } from './account.entity.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsSeenInterceptor } from './accounts-seen.interceptor.js';
import { AccountsService } from './accounts.service.js';

/** The accounts kept from tokens (`users`): every identity the guard lets in is recorded. */
@Module({
  imports: [TypeOrmModule.forFeature([Account])],
  controllers: [AccountsController],
  providers: [AccountsRepository, AccountsService, { provide: APP_INTERCEPTOR, useClass: AccountsSeenInterceptor }],
})
export class AccountsModule {}
