import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, LessThan, MoreThanOrEqual, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { Page } from '../common/pagination.query.js';
import type { AuditContext } from './audit-context.js';
import { AuditEntry } from './audit-entry.entity.js';
import type { AuditQuery } from './dto/audit.query.js';

/** The SQL of the audit trail: stating a transaction's audit context, and reading the trail. */
@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /**
   * States `context` for the rest of `manager`'s transaction (`app.audit`, transaction-local): the
   * audit triggers record every change of an audited table under it (AccessAndAudit migration).
   */
  async state(manager: EntityManager, context: AuditContext): Promise<void> {
    await manager.query(`SELECT set_config('app.audit', $1, true)`, [JSON.stringify(context)]);
  }

  /** The trail, newest first. */
  async list(query: AuditQuery): Promise<Page<AuditEntry>> {
    const where: FindOptionsWhere<AuditEntry> = {};
    if (query.actor) where.actorSub = query.actor;
    if (query.entity) where.entityType = query.entity;
    if (query.entityId) where.entityId = query.entityId;
    if (query.action) where.action = query.action;
    if (query.from && query.to) where.at = Between(new Date(query.from), new Date(query.to));
    else if (query.from) where.at = MoreThanOrEqual(new Date(query.from));
    else if (query.to) where.at = LessThan(new Date(query.to));
    const [items, total] = await this.entries.findAndCount({
      where,
      order: { at: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total };
  }
}
