import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Reach } from '../access/policies.js';
import { ACTIVE } from '../access/standing-rule.js';
import type { Page } from '../common/pagination.query.js';
import { Agency } from './agency.entity.js';
import type { ListAgenciesQuery } from './dto/agency.dto.js';
import type { AgencyStats } from './agency.response.js';

interface StatsRow {
  agency_id: string;
  car_count: number;
  booking_count: number;
  review_count: number;
  rating_sum: number;
}

/** The SQL of agencies. */
@Injectable()
export class AgenciesRepository {
  /** A page of the agencies within `reach` (the public: active ones), oldest first, with the total. */
  async list(manager: EntityManager, reach: Reach, query: ListAgenciesQuery): Promise<Page<Agency>> {
    const qb = manager.createQueryBuilder(Agency, 'a');
    if (reach.kind === 'public' || reach.kind === 'agency') {
      // An agency sees the public list, and itself whatever its standing.
      const own = reach.kind === 'agency' ? reach.agencyId : null;
      qb.where(`(a.status = :active OR a.id = :own)`, { active: ACTIVE, own });
    } else if (reach.kind !== 'all') {
      return { items: [], total: 0 };
    }
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    for (const [index, word] of (query.q ?? '').split(/\s+/).filter(Boolean).slice(0, 8).entries()) {
      qb.andWhere(
        `strpos(lower(unaccent(concat_ws(' ', a.name, a.legal_name, a.city))), lower(unaccent(:word${index}))) > 0`,
        { [`word${index}`]: word },
      );
    }
    const [items, total] = await qb
      .orderBy('a.created_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items, total };
  }

  /** The agency `id`, locked for a change when `lock`. */
  find(manager: EntityManager, id: string, lock = false): Promise<Agency | null> {
    return manager.findOne(Agency, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** Cars, and the count and average of their shown reviews (car_ratings), per agency. */
  async stats(manager: EntityManager, ids: string[]): Promise<Map<string, AgencyStats>> {
    const rows = await manager.query<StatsRow[]>(
      `SELECT a.id AS agency_id, count(c.id)::int AS car_count,
              coalesce(sum(r.review_count), 0)::int AS review_count, coalesce(sum(r.rating_sum), 0)::int AS rating_sum,
              (SELECT count(*)::int FROM bookings b JOIN cars bc ON bc.id = b.car_id WHERE bc.agency_id = a.id)
                AS booking_count
         FROM unnest($1::uuid[]) AS a(id)
         LEFT JOIN cars c ON c.agency_id = a.id AND c.deleted_at IS NULL
         LEFT JOIN car_ratings r ON r.car_id = c.id
        GROUP BY a.id`,
      [ids],
    );
    return new Map(
      rows.map((row) => [
        row.agency_id,
        {
          carCount: row.car_count,
          bookingCount: row.booking_count,
          reviewCount: row.review_count,
          averageRating: row.review_count === 0 ? null : Math.round((row.rating_sum / row.review_count) * 100) / 100,
        },
      ]),
    );
  }
}
