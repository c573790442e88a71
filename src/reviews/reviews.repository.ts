import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { Reach } from '../access/policies.js';
import { ACTIVE } from '../access/standing-rule.js';
import type { Page } from '../common/pagination.query.js';
import { Review } from './review.entity.js';
import type { ListReviewsQuery } from './dto/list-reviews.query.js';

/**
 * The shown reviews `reach` covers, as find conditions: the one scope of lists, counts and single
 * reads. The public sees only the reviews of active agencies' cars (what is hidden is hidden on
 * every route).
 */
export function reviewsWithin(reach: Reach): FindOptionsWhere<Review> {
  const shown = { removedAt: IsNull() };
  switch (reach.kind) {
    case 'all':
      return shown;
    case 'agency':
      return { ...shown, car: { agencyId: reach.agencyId } };
    case 'public':
      return { ...shown, car: { agency: { status: ACTIVE } } };
    case 'renter':
      return { ...shown, renterId: reach.sub, bookingId: Not(IsNull()) };
    case 'none':
      return { id: IsNull() };
  }
}

/** The SQL of reviews. */
@Injectable()
export class ReviewsRepository {
  async list(manager: EntityManager, reach: Reach, query: ListReviewsQuery): Promise<Page<Review>> {
    const where = reviewsWithin(reach);
    if (query.carId) where.carId = query.carId;
    const [items, total] = await manager.findAndCount(Review, {
      where,
      relations: { car: true },
      withDeleted: true,
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total };
  }

  find(manager: EntityManager, reach: Reach, id: string): Promise<Review | null> {
    return manager.findOne(Review, {
      where: { ...reviewsWithin(reach), id },
      relations: { car: true },
      withDeleted: true,
    });
  }

  /** The shown review `id`, locked for a change. */
  locked(manager: EntityManager, id: string): Promise<Review | null> {
    return manager.findOne(Review, { where: { id, removedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
  }

  /** Which of these bookings have a review already. */
  async reviewed(manager: EntityManager, bookingIds: string[]): Promise<Set<string>> {
    const rows = await manager.find(Review, { where: { bookingId: In(bookingIds) } });
    return new Set(rows.map((review) => review.bookingId!));
  }
}
