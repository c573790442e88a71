import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditRepository } from './audit.repository.js';

/**
 * The audit trail: routes marked @Audited run in a transaction that states who acts and why, and the
 * database's triggers record each change they make (AuditInterceptor); GET /audit reads the trail.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  controllers: [AuditController],
  providers: [AuditRepository, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditRepository],
})
export class AuditModule {}
