import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Agency } from './agency.entity.js';
import type { AgencyStats } from './agency.response.js';

interface StatsRow {
  agency_id: string;
  car_count: number;
  review_count: number;
  rating_sum: number;
}

/** The SQL of agencies. */
@Injectable()
export class AgenciesRepository {
  all(manager: EntityManager): Promise<Agency[]> {
    return manager.find(Agency, { order: { createdAt: 'ASC', id: 'ASC' } });
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
              coalesce(sum(r.review_count), 0)::int AS review_count, coalesce(sum(r.rating_sum), 0)::int AS rating_sum
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
          reviewCount: row.review_count,
          averageRating: row.review_count === 0 ? null : Math.round((row.rating_sum / row.review_count) * 100) / 100,
        },
      ]),
    );
  }
}
