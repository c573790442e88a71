import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Reach } from '../access/policies.js';
import { activeAgencySql, type AgencyStatus } from '../access/standing-rule.js';
import type { Page } from '../common/pagination.query.js';
import type { Guard } from '../database/atomic-write.js';
import { Agency } from '../agencies/agency.entity.js';
import { CarRating } from './car-rating.entity.js';
import { Car } from './car.entity.js';
import type { CarSort, ListCarsQuery } from './dto/list-cars.query.js';

const MAX_WORDS = 8;
const HOLDING = `('Pending', 'Confirmed')`;

/** A car with its kept rating (car_ratings) and its agency's name and city. */
export interface CarWithStats {
  car: Car;
  averageRating: number | null;
  reviewCount: number;
  agency: { name: string; city: string | null };
}

/** Whose favourites a catalogue page is limited to. */
export interface FavoritesOf {
  issuer: string;
  sub: string;
}

/** A live car as a booking needs it, its agency's standing, and the row version (`xmin`) it was read at. */
export interface CarSnapshot {
  id: string;
  agencyId: string;
  make: string;
  model: string;
  year: number;
  type: string;
  seats: number;
  fuelType: string;
  images: string[];
  pricePerDay: number;
  available: boolean;
  agencyStatus: AgencyStatus;
  agencyStatusReason: string | null;
  version: string;
}

/**
 * The SQL condition of the cars `reach` covers, on the cars of alias `car`: the one translation of
 * the reach, for the catalogue's SQL and for single reads alike. `param` turns the agency id into a
 * placeholder of the caller's style ($n, or :name in a query builder).
 */
function carsWithin(reach: Reach, car: string, param: (value: unknown) => string): string {
  switch (reach.kind) {
    case 'all':
      return 'true';
    case 'agency':
      return `${car}.agency_id = ${param(reach.agencyId)}`;
    case 'public':
      return activeAgencySql(`${car}.agency_id`);
    case 'renter':
    case 'none':
      return 'false';
  }
}

/** The live car `id` within `reach`, as a query builder over `car`. */
function carWithin(manager: EntityManager, id: string, reach: Reach): SelectQueryBuilder<Car> {
  const qb = manager.createQueryBuilder(Car, 'car').where('car.id = :id', { id });
  const own = (value: unknown) => {
    qb.setParameter('own', value);
    return ':own';
  };
  return qb.andWhere(carsWithin(reach, 'car', own));
}

/**
 * The SQL of cars: the catalogue (see catalogueSql), single reads within a reach, the snapshots
 * bookings are made from, and the guard that re-checks one when the booking is written.
 */
@Injectable()
export class CarsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One page of the catalogue within `reach` (see catalogueSql), with the total. */
  async catalogue(query: ListCarsQuery, reach: Reach, favoritesOf?: FavoritesOf): Promise<Page<CatalogueRow>> {
    const page = (q: ListCarsQuery) => {
      const { sql, params } = catalogueSql(q, reach, favoritesOf);
      return this.dataSource.query<CatalogueRow[]>(sql, params);
    };
    const rows = await page(query);
    // A page past the end carries no total: ask for the first row's.
    const [first] = rows.length === 0 && query.offset > 0 ? await page({ ...query, offset: 0, limit: 1 }) : rows;
    return { items: rows, total: first ? Number(first.total_count) : 0 };
  }

  /** Whether the live car `id` is within `reach`. */
  visible(manager: EntityManager, id: string, reach: Reach): Promise<boolean> {
    return carWithin(manager, id, reach).getExists();
  }

  /** The live car `id` with its rating and agency, if within `reach`. */
  async findWithStats(manager: EntityManager, id: string, reach: Reach): Promise<CarWithStats | undefined> {
    const { entities, raw } = await carWithin(manager, id, reach)
      .leftJoin(CarRating, 'stats', 'stats.car_id = car.id')
      .innerJoin(Agency, 'agency', 'agency.id = car.agency_id')
      .addSelect(averageRating('stats'), 'stats_average')
      .addSelect('stats.review_count', 'stats_count')
      .addSelect('agency.name', 'agency_name')
      .addSelect('agency.city', 'agency_city')
      .getRawAndEntities<{
        stats_average: number | null;
        stats_count: number | null;
        agency_name: string;
        agency_city: string | null;
      }>();
    if (entities.length === 0) return undefined;
    const [row] = raw;
    return {
      car: entities[0],
      averageRating: row.stats_average,
      reviewCount: row.stats_count ?? 0,
      agency: { name: row.agency_name, city: row.agency_city },
    };
  }

  /**
   * The live car `id` if within `reach`, locked in `manager`'s transaction: FOR SHARE (`share`: a
   * booking or review is about to reference it) or FOR UPDATE (`update`: it is about to change).
   */
  async findLocked(manager: EntityManager, id: string, reach: Reach, lock: 'share' | 'update'): Promise<Car | null> {
    return carWithin(manager, id, reach)
      .setLock(lock === 'share' ? 'pessimistic_read' : 'pessimistic_write')
      .getOne();
  }

  /** The periods of the car's holding bookings (Pending or Confirmed) that overlap [from, to), in order. */
  heldPeriods(
    manager: EntityManager,
    id: string,
    from: Date,
    to: Date,
  ): Promise<{ start_date: Date; end_date: Date }[]> {
    return manager.query(
      `SELECT start_date, end_date FROM bookings
        WHERE car_id = $1 AND status IN ${HOLDING} AND start_date < $3 AND end_date > $2
        ORDER BY start_date`,
      [id, from, to],
    );
  }

  /** How many holding bookings (Pending or Confirmed) the car has. */
  async holdingBookings(manager: EntityManager, id: string): Promise<number> {
    const [{ count }] = await manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM bookings WHERE car_id = $1 AND status IN ${HOLDING}`,
      [id],
    );
    return count;
  }

  /** The agency's name and city, if it exists. */
  async agencySummary(
    manager: EntityManager,
    agencyId: string,
  ): Promise<{ name: string; city: string | null } | undefined> {
    return (
      (await manager.findOne(Agency, { where: { id: agencyId }, select: { name: true, city: true } })) ?? undefined
    );
  }

  /** The live car `id` as a booking needs it, with its agency's standing and row version. */
  async snapshot(id: string): Promise<CarSnapshot | undefined> {
    const [row] = await this.dataSource.query<CarRow[]>(
      `SELECT c.id, c.agency_id, c.make, c.model, c.year, c.type, c.seats, c.fuel_type, c.images, c.price_per_day, c.available,
              a.status AS agency_status, a.status_reason AS agency_status_reason, c.xmin::text AS version
         FROM cars c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1 AND c.deleted_at IS NULL`,
      [id],
    );
    return row && toSnapshot(row);
  }

  /**
   * The guard of a write that references `car` (AtomicWrite.onlyIf): the car is still live, available,
   * of an active agency and exactly as read (same row version), and stays so until the write commits:
   * FOR SHARE conflicts with the FOR UPDATE of a removal and with every update.
   */
  unchanged(car: CarSnapshot): Guard {
    return {
      sql: `SELECT 1 FROM cars WHERE id = $1 AND xmin = $2::xid AND deleted_at IS NULL AND available
              AND ${activeAgencySql('cars.agency_id')} FOR SHARE OF cars`,
      params: [car.id, car.version],
    };
  }
}

interface CarRow {
  id: string;
  agency_id: string;
  make: string;
  model: string;
  year: number;
  type: string;
  seats: number;
  fuel_type: string;
  images: string[];
  price_per_day: string;
  available: boolean;
  agency_status: AgencyStatus;
  agency_status_reason: string | null;
  version: string;
}

function toSnapshot(row: CarRow): CarSnapshot {
  return {
    id: row.id,
    agencyId: row.agency_id,
    make: row.make,
    model: row.model,
    year: row.year,
    type: row.type,
    seats: row.seats,
    fuelType: row.fuel_type,
    images: row.images,
    pricePerDay: Number(row.price_per_day),
    available: row.available,
    agencyStatus: row.agency_status,
    agencyStatusReason: row.agency_status_reason,
    version: row.version,
  };
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
  agency_name: string;
  agency_city: string | null;
  total_count: string;
}

/**
 * The SQL of one page of the catalogue within `reach`, narrowed by the filters and ordered by `sort`
 * (the id breaking ties), with its total on each row (`total_count`, one query). The page is chosen
 * first, on the cars' own columns, and only its rows are then read whole with their ratings.
 *
 * A car is free over [from, to) unless its holding booking (Pending or Confirmed) that starts last
 * before `to` ends after `from`: holding bookings of one car never overlap (bookings_no_overlap), so
 * no earlier one can reach into the period unless that one does. One descent of the
 * bookings_holding_by_car index per candidate car, whatever the number of bookings.
 */
export function catalogueSql(
  query: ListCarsQuery,
  reach: Reach,
  favoritesOf?: FavoritesOf,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ['c.deleted_at IS NULL', carsWithin(reach, 'c', param)];
  if (favoritesOf) {
    where.push(`EXISTS (SELECT 1 FROM favorites f
                 WHERE f.issuer = ${param(favoritesOf.issuer)} AND f.sub = ${param(favoritesOf.sub)} AND f.car_id = c.id)`);
  }
  if (query.agencyId) where.push(`c.agency_id = ${param(query.agencyId)}`);
  if (query.available !== undefined) where.push(`c.available = ${param(query.available)}`);
  if (query.location) where.push(`lower(c.location) = lower(${param(query.location)})`);
  if (query.type) where.push(`lower(c.type) = lower(${param(query.type)})`);
  if (query.fuelType) where.push(`lower(c.fuel_type) = lower(${param(query.fuelType)})`);
  if (query.seatsMin !== undefined) where.push(`c.seats >= ${param(query.seatsMin)}`);
  if (query.priceMin !== undefined) where.push(`c.price_per_day >= ${param(query.priceMin)}`);
  if (query.priceMax !== undefined) where.push(`c.price_per_day <= ${param(query.priceMax)}`);
  for (const word of searchWords(query.q)) {
    // strpos, not LIKE: the word is matched as text, whatever unaccent() and lower() make of it
    // (a fullwidth ％ becomes %, which LIKE would read as a wildcard).
    where.push(`strpos(${searchedText('c')}, lower(unaccent(${param(word)}))) > 0`);
  }
  if (query.from && query.to) {
    where.push(`NOT EXISTS (
        SELECT 1 FROM (SELECT b.end_date FROM bookings b
                        WHERE b.car_id = c.id AND b.status IN ${HOLDING} AND b.start_date < ${param(query.to)}
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
  const sql = `SELECT car.*, ${averageRating('stats')} AS average_rating, stats.review_count,
         agency.name AS agency_name, agency.city AS agency_city, page.total_count
    FROM (${page}) page
    JOIN cars car ON car.id = page.id
    JOIN agencies agency ON agency.id = car.agency_id
    LEFT JOIN car_ratings stats ON stats.car_id = car.id
   ORDER BY ${ORDER[sort]('page')}`;
  return { sql, params };
}

/** The average of shown reviews as the API shows it (two decimals), null when there is none. */
const averageRating = (ratings: string) =>
  `round(${ratings}.rating_sum::numeric / NULLIF(${ratings}.review_count, 0), 2)::float8`;
/**
 * What `q` searches, folded as its words are (accents removed, then lower case): the car's make,
 * model, type, location and description, and its agency's name.
 */
const searchedText = (car: string) =>
  `lower(unaccent(concat_ws(' ', ${car}.make, ${car}.model, ${car}.type, ${car}.location, ${car}.description,
     (SELECT a.name FROM agencies a WHERE a.id = ${car}.agency_id))))`;

/** ORDER BY of each sort over a relation with `id`, `price_per_day`, `created_at` and (rating sort) `rating`. */
const ORDER: Record<CarSort, (from: string) => string> = {
  price: (from) => `${from}.price_per_day ASC, ${from}.id ASC`,
  '-price': (from) => `${from}.price_per_day DESC, ${from}.id ASC`,
  rating: (from) =>
    `${from === 'c' ? averageRating('r') : `${from}.rating`} DESC NULLS LAST, ${from}.created_at DESC, ${from}.id ASC`,
  '-createdAt': (from) => `${from}.created_at DESC, ${from}.id ASC`,
};

/** The words of `q`. */
function searchWords(q?: string): string[] {
  if (!q) return [];
  return q.split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
}
