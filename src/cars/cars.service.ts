import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { Agency } from '../agencies/agency.entity.js';
import { defaultAgency, ownAgency, type Actor } from '../auth/actor.js';
import { ACTIVE_STATUSES } from '../bookings/booking-status.js';
import { Booking } from '../bookings/booking.entity.js';
import type { Page } from '../common/pagination.query.js';
import type { Guard } from '../database/atomic-write.js';
import { TableChanges } from '../database/table-changes.js';
import {
  ACTIVE_AGENCY,
  catalogueScope,
  catalogueSql,
  withStats,
  type CatalogueRow,
  type CatalogueScope,
} from './catalogue-query.js';
import { Car } from './car.entity.js';
import { CarSnapshots, type CarSnapshot } from './car-snapshots.js';
import { CarsListCache, type SerializedList } from './cars-list.cache.js';
import { toCarResponse, type CarResponse } from './car.response.js';
import type { CreateCarDto } from './dto/create-car.dto.js';
import type { ListCarsQuery } from './dto/list-cars.query.js';
import type { UpdateCarDto } from './dto/update-car.dto.js';

interface StatsRow {
  stats_average: number | null;
  stats_count: number | null;
}

@Injectable()
export class CarsService {
  constructor(
    @InjectRepository(Car) private readonly cars: Repository<Car>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: CarsListCache,
    private readonly snapshots: CarSnapshots,
    private readonly changes: TableChanges,
  ) {}

  /** The list as JSON, from the cache when no write happened since it was built. */
  listSerialized(query: ListCarsQuery, actor: Actor): Promise<SerializedList> {
    const scope = catalogueScope(actor);
    return this.cache.get(JSON.stringify({ ...query, ...scope }), () => this.list(query, scope));
  }

  /** One page of the catalogue `scope` sees (see catalogueSql), with the total. */
  async list(query: ListCarsQuery, scope: CatalogueScope = {}): Promise<Page<CarResponse>> {
    const page = (q: ListCarsQuery) => {
      const { sql, params } = catalogueSql(q, scope);
      return this.dataSource.query<CatalogueRow[]>(sql, params);
    };
    const rows = await page(query);
    // A page past the end carries no total: ask for the first row's.
    const [first] = rows.length === 0 && query.offset > 0 ? await page({ ...query, offset: 0, limit: 1 }) : rows;
    return { items: rows.map(toCatalogueResponse), total: first ? Number(first.total_count) : 0 };
  }

  /** Another agency's car is answered like a missing one, and so is, in the public catalogue, an inactive agency's. */
  async findOne(id: string, actor: Actor): Promise<CarResponse> {
    const qb = withStats(this.cars.createQueryBuilder('car')).where('car.id = :id', { id });
    const { own, activeOnly } = catalogueScope(actor);
    if (own !== undefined) qb.andWhere('car.agency_id = :own', { own });
    if (activeOnly) qb.andWhere(ACTIVE_AGENCY);
    const { entities, raw } = await qb.getRawAndEntities<StatsRow>();
    const [car] = toResponses(entities, raw);
    if (!car) throw new NotFoundException('Car not found');
    return car;
  }

  /** An agency creates its own cars; the admin names the agency; open mode uses the built-in one. */
  async create(dto: CreateCarDto, actor: Actor): Promise<CarResponse> {
    const agencyId = defaultAgency(actor) ?? dto.agencyId;
    if (!agencyId) throw new BadRequestException('agencyId is required: which agency owns the car');
    if (!(await this.dataSource.getRepository(Agency).existsBy({ id: agencyId }))) {
      throw new BadRequestException('agencyId names no agency');
    }
    const car = this.cars.create({ available: true, description: '', features: [], images: [], ...dto, agencyId });
    const saved = await this.cars.save(car);
    this.changes.committed('cars');
    return toCarResponse(saved);
  }

  async update(id: string, dto: UpdateCarDto, actor: Actor): Promise<CarResponse> {
    const car = await this.cars.findOneBy(this.scoped(id, actor));
    if (!car) throw new NotFoundException('Car not found');
    await this.cars.save(this.cars.merge(car, dto));
    this.changes.committed('cars');
    return this.findOne(id, actor);
  }

  /**
   * The live car `id`, locked FOR SHARE in `manager`'s transaction, for a booking or
   * review about to reference it: it cannot be deleted (remove takes FOR UPDATE)
   * until that transaction ends. 404 for an unknown or deleted car, or another agency's.
   */
  async lockForReference(manager: EntityManager, id: string, actor: Actor): Promise<Car> {
    const car = await manager.findOne(Car, { where: this.scoped(id, actor), lock: { mode: 'pessimistic_read' } });
    if (!car) throw new NotFoundException('Car not found');
    return car;
  }

  /**
   * The live car `id` as a booking needs it; 404 for an unknown or deleted car, or another agency's,
   * 409 when it is not available. From this process's snapshots unless `fresh`: a snapshot is only
   * used to write under `unchanged(car)`, and a refusal is only ever made on a fresh read.
   */
  async forBooking(id: string, actor: Actor, fresh: boolean): Promise<CarSnapshot> {
    const own = ownAgency(actor);
    const visible = (car: CarSnapshot) => own === undefined || car.agencyId === own;
    const cached = fresh ? undefined : this.snapshots.cached(id);
    if (cached && cached.available && cached.agencyStatus === 'active' && visible(cached)) return cached;
    const car = await this.snapshots.read(id);
    if (!car || !visible(car)) throw new NotFoundException('Car not found');
    if (car.agencyStatus !== 'active') {
      const why = car.agencyStatusReason ? ` (${car.agencyStatusReason})` : '';
      throw new ConflictException(`The car's agency is ${car.agencyStatus}${why}: it takes no bookings`);
    }
    if (!car.available) throw new ConflictException('Car is not available for booking');
    return car;
  }

  /**
   * The guard of a write that references `car` (AtomicWrite.onlyIf): the car is still live, available,
   * of an active agency and exactly as read (same row version), and stays so until the write commits: FOR SHARE conflicts
   * with the FOR UPDATE of `remove` and with every update.
   */
  unchanged(car: CarSnapshot): Guard {
    return {
      sql: `SELECT 1 FROM cars WHERE id = $1 AND xmin = $2::xid AND deleted_at IS NULL AND available
              AND EXISTS (SELECT 1 FROM agencies a WHERE a.id = cars.agency_id AND a.status = 'active') FOR SHARE OF cars`,
      params: [car.id, car.version],
    };
  }

  /** Soft delete, so past bookings and reviews keep their car. Refused while the car is booked. */
  async remove(id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // FOR UPDATE conflicts with the FOR SHARE a booking takes on its car: no booking slips in meanwhile.
      const car = await manager.findOne(Car, { where: this.scoped(id, actor), lock: { mode: 'pessimistic_write' } });
      if (!car) throw new NotFoundException('Car not found');
      const active = await manager
        .createQueryBuilder(Booking, 'b')
        .where('b.car_id = :id AND b.status IN (:...active)', { id, active: ACTIVE_STATUSES })
        .getCount();
      if (active > 0) {
        throw new ConflictException(`Car has ${active} pending or confirmed booking(s); cancel or complete them first`);
      }
      await manager.softDelete(Car, { id });
    });
    this.changes.committed('cars');
  }

  /** `id`, and for an agency only among its own cars. */
  private scoped(id: string, actor: Actor): FindOptionsWhere<Car> {
    const own = ownAgency(actor);
    return own === undefined ? { id } : { id, agencyId: own };
  }
}

function toResponses(entities: Car[], raw: StatsRow[]): CarResponse[] {
  return entities.map((car, index) =>
    toCarResponse(car, { averageRating: raw[index].stats_average, reviewCount: raw[index].stats_count ?? 0 }),
  );
}

function toCatalogueResponse(row: CatalogueRow): CarResponse {
  return {
    id: row.id,
    agencyId: row.agency_id,
    make: row.make,
    model: row.model,
    year: row.year,
    type: row.type,
    seats: row.seats,
    fuelType: row.fuel_type,
    pricePerDay: Number(row.price_per_day),
    available: row.available,
    location: row.location,
    description: row.description,
    features: row.features,
    images: row.images,
    averageRating: row.average_rating,
    reviewCount: row.review_count ?? 0,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
