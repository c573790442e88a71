import { BadRequestException } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { hasRole, ownAgency, type Actor } from '../auth/actor.js';
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
const MAX_WORDS = 8;

/** The car's kept rating (car_ratings, one row per reviewed car) as `stats_average` and `stats_count`. */
export function withStats(qb: SelectQueryBuilder<Car>): SelectQueryBuilder<Car> {
  return qb
    .leftJoin(CarRating, 'stats', 'stats.car_id = car.id')
    .addSelect(averageRating('stats'), 'stats_average')
    .addSelect('stats.review_count', 'stats_count');
}

/** One row of catalogueSql: a car's columns, its rating and the total of the page's query. */
export interface CatalogueRow {
  id: string;
  agency_id: string;
  make: string;
  model: string;
  year: number;
  type: string;
  seats: number;
  fuel_type: string;
  price_per_day: string;
  available: boolean;
  location: string;
  description: string;
  features: string[];
  images: string[];
  created_at: Date;
  updated_at: Date;
  average_rating: number | null;
  review_count: number | null;
  total_count: string;
}

/**
 * The SQL of one page of the catalogue `scope` sees, narrowed by the filters and ordered by `sort`
 * (the id breaking ties), with its total on each row (`total_count`, one query). The page is chosen
 * first, on the cars' own columns, and only its rows are then read whole with their ratings.
 *
 * A car is free over [from, to) unless its holding booking (Pending or Confirmed) that starts last
 * before `to` ends after `from`: holding bookings of one car never overlap (bookings_no_overlap), so
 * no earlier one can reach into the period unless that one does. One descent of the
 * bookings_holding_by_car index per candidate car, whatever the number of bookings.
 */
export function catalogueSql(query: ListCarsQuery, scope: CatalogueScope): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ['c.deleted_at IS NULL'];
  if (scope.own !== undefined) where.push(`c.agency_id = ${param(scope.own)}`);
  if (scope.activeOnly)
    where.push(`EXISTS (SELECT 1 FROM agencies a WHERE a.id = c.agency_id AND a.status = 'active')`);
  if (query.agencyId) where.push(`c.agency_id = ${param(query.agencyId)}`);
  if (query.available !== undefined) where.push(`c.available = ${param(query.available)}`);
  if (query.location) where.push(`lower(c.location) = lower(${param(query.location)})`);
  if (query.type) where.push(`lower(c.type) = lower(${param(query.type)})`);
  if (query.fuelType) where.push(`lower(c.fuel_type) = lower(${param(query.fuelType)})`);
  if (query.seatsMin !== undefined) where.push(`c.seats >= ${param(query.seatsMin)}`);
  if (query.priceMin !== undefined) where.push(`c.price_per_day >= ${param(query.priceMin)}`);
  if (query.priceMax !== undefined) where.push(`c.price_per_day <= ${param(query.priceMax)}`);
  if (query.priceMin !== undefined && query.priceMax !== undefined && query.priceMax < query.priceMin) {
    throw new BadRequestException('priceMax must not be below priceMin');
  }
  for (const word of searchWords(query.q)) {
    where.push(`${searchedText('c')} LIKE '%' || lower(unaccent(${param(word)})) || '%'`);
  }
  if (query.from || query.to) {
    if (!query.from || !query.to) throw new BadRequestException('from and to must be given together');
    if (new Date(query.to) <= new Date(query.from)) throw new BadRequestException('to must be after from');
    where.push(`NOT EXISTS (
        SELECT 1 FROM (SELECT b.end_date FROM bookings b
                        WHERE b.car_id = c.id AND b.status IN ('Pending', 'Confirmed') AND b.start_date < ${param(query.to)}
                        ORDER BY b.start_date DESC LIMIT 1) latest
         WHERE latest.end_date > ${param(query.from)})`);
  }
  const sort = query.sort ?? '-createdAt';
  const byRating = sort === 'rating';
  const page = `SELECT c.id, c.price_per_day, c.created_at, ${byRating ? averageRating('r') : 'NULL::float8'} AS rating,
           count(*) OVER () AS total_count
      FROM cars c ${byRating ? 'LEFT JOIN car_ratings r ON r.car_id = c.id' : ''}
     WHERE ${where.join('\n       AND ')}
     ORDER BY ${ORDER[sort]('c')}
     LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`;
  const sql = `SELECT car.*, ${averageRating('stats')} AS average_rating, stats.review_count, page.total_count
    FROM (${page}) page
    JOIN cars car ON car.id = page.id
    LEFT JOIN car_ratings stats ON stats.car_id = car.id
   ORDER BY ${ORDER[sort]('page')}`;
  return { sql, params };
}

/** The average of shown reviews as the API shows it (two decimals), null when there is none. */
const averageRating = (ratings: string) =>
  `round(${ratings}.rating_sum::numeric / NULLIF(${ratings}.review_count, 0), 2)::float8`;
/** What `q` searches, folded as its words are: accents removed, then lower case. */
const searchedText = (car: string) =>
  `lower(unaccent(${car}.make || ' ' || ${car}.model || ' ' || ${car}.description))`;

/** ORDER BY of each sort over a relation with `id`, `price_per_day`, `created_at` and (rating sort) `rating`. */
const ORDER: Record<CarSort, (from: string) => string> = {
  price: (from) => `${from}.price_per_day ASC, ${from}.id ASC`,
  '-price': (from) => `${from}.price_per_day DESC, ${from}.id ASC`,
  rating: (from) =>
    `${from === 'c' ? averageRating('r') : `${from}.rating`} DESC NULLS LAST, ${from}.created_at DESC, ${from}.id ASC`,
  '-createdAt': (from) => `${from}.created_at DESC, ${from}.id ASC`,
};

/** The words of `q`, with LIKE's wildcards taken literally. */
function searchWords(q?: string): string[] {
  if (!q) return [];
  return q
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, MAX_WORDS)
    .map((word) => word.replace(/[\\%_]/g, (char) => `\\${char}`));
}
