import { Injectable } from '@nestjs/common';
import { IsNull, Raw, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { Reach } from '../access/policies.js';
import type { Page, PaginationQuery } from '../common/pagination.query.js';
import { ComplaintMessage } from './complaint-message.entity.js';
import { Complaint } from './complaint.entity.js';
import type { ListComplaintsQuery } from './dto/complaints.dto.js';

/** The complaints `reach` covers: the one scope of the list, single reads, threads and changes. */
export function complaintsWithin(reach: Reach): FindOptionsWhere<Complaint> {
  switch (reach.kind) {
    case 'all':
      return {};
    case 'agency':
      return { agencyId: reach.agencyId };
    case 'renter':
      return { renterSub: reach.sub };
    case 'public':
    case 'none':
      return { id: IsNull() };
  }
}

/** The text column contains `q`, accents and case aside; strpos: `%` and `_` are taken literally. */
const matches = (q: string) => Raw((column) => `strpos(lower(unaccent(${column})), lower(unaccent(:q))) > 0`, { q });

/** The SQL of complaints and their threads. */
@Injectable()
export class ComplaintsRepository {
  async list(manager: EntityManager, reach: Reach, query: ListComplaintsQuery): Promise<Page<Complaint>> {
    const where = complaintsWithin(reach);
    if (query.status) where.status = query.status;
    if (query.priority) where.priority = query.priority;
    if (query.agencyId) where.agencyId = where.agencyId ?? query.agencyId;
    if (query.assignee) where.assignee = query.assignee;
    if (query.category) where.category = query.category;
    const [items, total] = await manager.findAndCount(Complaint, {
      // q: in the subject or in the description, accents and case aside.
      where: query.q
        ? [
            { ...where, subject: matches(query.q) },
            { ...where, description: matches(query.q) },
          ]
        : where,
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total };
  }

  find(manager: EntityManager, reach: Reach, id: string, lock = false): Promise<Complaint | null> {
    return manager.findOne(Complaint, {
      where: { ...complaintsWithin(reach), id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** A page of the thread, oldest first; internal notes only when `internal`. */
  async messages(
    manager: EntityManager,
    complaintId: string,
    page: PaginationQuery,
    internal: boolean,
  ): Promise<Page<ComplaintMessage>> {
    const [items, total] = await manager.findAndCount(ComplaintMessage, {
      where: internal ? { complaintId } : { complaintId, internal: false },
      order: { id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items, total };
  }

  /** Whether `sub` is an account of the admin team (of any issuer). */
  async isAdmin(manager: EntityManager, sub: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM users WHERE sub = $1 AND role = 'admin' LIMIT 1`, [sub]);
    return rows.length > 0;
  }
}
