import { BadRequestException } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { hasRole, ownAgency, type Actor } from '../auth/actor.js';
import { ACTIVE_STATUSES } from '../bookings/booking-status.js';
import { CarRating } from './car-rating.entity.js';
import type { Car } from './car.entity.js';
import type { CarSort, ListCarsQuery } from './dto/list-cars.query.js';

/** Whose cars a caller sees: one agency's fleet (`own`), or the cars of active agencies only. */
export interface CatalogueScope {
  own?: string;
  activeOnly?: boolean;
}

/** An agency its own fleet; renters and anonymous callers the active agencies' cars; the admin and open mode every car. */
export function catalogueScope(actor: Actor): CatalogueScope {
  const own = ownAgency(actor);
  if (own !== undefined) return { own };
  return { activeOnly: actor.kind === 'anonymous' || hasRole(actor, 'renter') };
}

export const ACTIVE_AGENCY = `EXISTS (SELECT 1 FROM agencies a WHERE a.id = car.agency_id AND a.status = 'active')`;
const AVERAGE_RATING = 'round(stats.rating_sum::numeric / NULLIF(stats.review_count, 0), 2)::float8';
/** What `q` searches, folded as its words are: accents removed, then lower case. */
const SEARCHED_TEXT = `lower(unaccent(car.make || ' ' || car.model || ' ' || car.description))`;
const MAX_WORDS = 8;

/** The car's kept rating (car_ratings, one row per reviewed car) as `stats_average` and `stats_count`. */
export function withStats(qb: SelectQueryBuilder<Car>): SelectQueryBuilder<Car> {
  return qb
    .leftJoin(CarRating, 'stats', 'stats.car_id = car.id')
    .addSelect(AVERAGE_RATING, 'stats_average')
    .addSelect('stats.review_count', 'stats_count');
}

/**
 * One page of the catalogue `scope` sees, narrowed by the filters and ordered by `sort` (the id
 * breaking ties), with its total as `total_count` on each row (one query). Availability over
 * [from, to) is answered by the bookings_no_overlap GiST index (car_id, period) of the bookings that
 * hold a car, one probe per candidate car: the cost grows with the cars, not with the bookings.
 */
export function catalogueQuery(
  qb: SelectQueryBuilder<Car>,
  query: ListCarsQuery,
  scope: CatalogueScope,
): SelectQueryBuilder<Car> {
  withStats(qb);
  if (scope.own !== undefined) qb.andWhere('car.agency_id = :own', { own: scope.own });
  if (scope.activeOnly) qb.andWhere(ACTIVE_AGENCY);
  if (query.agencyId) qb.andWhere('car.agency_id = :agencyId', { agencyId: query.agencyId });
  if (query.available !== undefined) qb.andWhere('car.available = :available', { available: query.available });
  if (query.location) qb.andWhere('lower(car.location) = lower(:location)', { location: query.location });
  if (query.type) qb.andWhere('lower(car.type) = lower(:type)', { type: query.type });
  if (query.fuelType) qb.andWhere('lower(car.fuel_type) = lower(:fuelType)', { fuelType: query.fuelType });
  if (query.seatsMin !== undefined) qb.andWhere('car.seats >= :seatsMin', { seatsMin: query.seatsMin });
  if (query.priceMin !== undefined) qb.andWhere('car.price_per_day >= :priceMin', { priceMin: query.priceMin });
  if (query.priceMax !== undefined) qb.andWhere('car.price_per_day <= :priceMax', { priceMax: query.priceMax });
  if (query.priceMin !== undefined && query.priceMax !== undefined && query.priceMax < query.priceMin) {
    throw new BadRequestException('priceMax must not be below priceMin');
  }
  for (const [index, word] of searchWords(query.q).entries()) {
    qb.andWhere(`${SEARCHED_TEXT} LIKE '%' || lower(unaccent(:word${index})) || '%'`, { [`word${index}`]: word });
  }
  if (query.from || query.to) {
    if (!query.from || !query.to) throw new BadRequestException('from and to must be given together');
    if (new Date(query.to) <= new Date(query.from)) throw new BadRequestException('to must be after from');
    qb.andWhere(
      `NOT EXISTS (SELECT 1 FROM bookings b WHERE b.car_id = car.id AND b.status IN (:...active)
         AND tstzrange(b.start_date, b.end_date, '[)') && tstzrange(:from, :to, '[)'))`,
      { active: ACTIVE_STATUSES, from: query.from, to: query.to },
    );
  }
  qb.addSelect('count(*) OVER ()', 'total_count');
  orderBy(qb, query.sort ?? '-createdAt');
  return qb.limit(query.limit).offset(query.offset);
}

/** The words of `q`, with LIKE's wildcards taken literally. */
function searchWords(q?: string): string[] {
  if (!q) return [];
  return q
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, MAX_WORDS)
    .map((word) => word.replace(/[\\%_]/g, (char) => `\\${char}`));
}

function orderBy(qb: SelectQueryBuilder<Car>, sort: CarSort): void {
  switch (sort) {
    case 'price':
      qb.orderBy('car.price_per_day', 'ASC');
      break;
    case '-price':
      qb.orderBy('car.price_per_day', 'DESC');
      break;
    case 'rating':
      qb.orderBy(AVERAGE_RATING, 'DESC', 'NULLS LAST').addOrderBy('car.created_at', 'DESC');
      break;
    case '-createdAt':
      qb.orderBy('car.created_at', 'DESC');
      break;
  }
  qb.addOrderBy('car.id', 'ASC');
}
