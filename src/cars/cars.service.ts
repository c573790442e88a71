import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { policies } from '../access/policies.js';
import { bookingRefusal, isActive } from '../access/standing-rule.js';
import type { Guard } from '../database/atomic-write.js';
import { TableChanges } from '../database/table-changes.js';
import { Transactions } from '../database/transactions.js';
import { Car } from './car.entity.js';
import { CarSnapshots } from './car-snapshots.js';
import { CarsListCache, type SerializedList } from './cars-list.cache.js';
import { CarsRepository, type CarSnapshot, type CatalogueRow, type FavoritesOf } from './cars.repository.js';
import type { Page, PaginationQuery } from '../common/pagination.query.js';
import { toCarResponse, type CarResponse } from './car.response.js';
import type { CreateCarDto } from './dto/create-car.dto.js';
import type { AvailabilityQuery, AvailabilityResponse } from './dto/availability.query.js';
import { ListCarsQuery } from './dto/list-cars.query.js';
import type { UpdateCarDto } from './dto/update-car.dto.js';
import { Conflict, InvalidInput, NotFound } from '../common/domain-errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A car's calendar is read at most a year (and a day) at a time. */
const MAX_CALENDAR_DAYS = 366;
const DEFAULT_CALENDAR_DAYS = 90;

@Injectable()
export class CarsService {
  constructor(
    private readonly cars: CarsRepository,
    private readonly transactions: Transactions,
    private readonly cache: CarsListCache,
    private readonly snapshots: CarSnapshots,
    private readonly changes: TableChanges,
  ) {}

  /** The list as JSON, from the cache when no write happened since it was built. */
  listSerialized(query: ListCarsQuery, actor: Actor): Promise<SerializedList> {
    checkCatalogueQuery(query);
    const reach = policies.cars(actor);
    return this.cache.get(JSON.stringify({ ...query, reach }), async () => {
      const { items, total } = await this.cars.catalogue(query, reach);
      return { items: items.map(toCatalogueResponse), total };
    });
  }

  /** The favourites of `user` in the catalogue's shape: only the cars `actor` may see (a hidden or deleted one drops out). */
  async favoritesOf(user: FavoritesOf, page: PaginationQuery, actor: Actor): Promise<Page<CarResponse>> {
    const query = Object.assign(new ListCarsQuery(), { limit: page.limit, offset: page.offset });
    const { items, total } = await this.cars.catalogue(query, policies.cars(actor), user);
    return { items: items.map(toCatalogueResponse), total };
  }

  /** A car `actor` may not see is answered like a missing one (another agency's; in the public catalogue, an inactive agency's). */
  async findOne(id: string, actor: Actor): Promise<CarResponse> {
    const found = await this.cars.findWithStats(this.transactions.manager, id, policies.cars(actor));
    if (!found) throw new NotFound('Car not found');
    return toCarResponse(found.car, found);
  }

  /**
   * The car's calendar: when it is held (Pending and Confirmed bookings) within [from, to), no renter
   * data. A car `actor` may not see is a 404, as for the car itself.
   */
  async availability(id: string, query: AvailabilityQuery, actor: Actor): Promise<AvailabilityResponse> {
    const from = query.from ? new Date(query.from) : new Date();
    const to = query.to ? new Date(query.to) : new Date(from.getTime() + DEFAULT_CALENDAR_DAYS * DAY_MS);
    if (to <= from) throw new InvalidInput('to must be after from');
    if (to.getTime() - from.getTime() > MAX_CALENDAR_DAYS * DAY_MS) {
      throw new InvalidInput(`to may be at most ${MAX_CALENDAR_DAYS} days after from`);
    }
    const manager = this.transactions.manager;
    if (!(await this.cars.visible(manager, id, policies.cars(actor)))) throw new NotFound('Car not found');
    const held = await this.cars.heldPeriods(manager, id, from, to);
    return {
      carId: id,
      from: from.toISOString(),
      to: to.toISOString(),
      held: held.map((period) => ({
        startDate: period.start_date.toISOString(),
        endDate: period.end_date.toISOString(),
      })),
    };
  }

  /** An agency creates its own cars; the admin names the agency; open mode uses the built-in one. */
  async create(dto: CreateCarDto, actor: Actor): Promise<CarResponse> {
    const agencyId = policies.carOwner(actor, dto.agencyId);
    if (!agencyId) throw new InvalidInput('agencyId is required: which agency owns the car');
    const saved = await this.transactions.run(async (manager) => {
      const agency = await this.cars.agencySummary(manager, agencyId);
      if (!agency) throw new InvalidInput('agencyId names no agency');
      const car = manager.create(Car, { available: true, description: '', features: [], images: [], ...dto, agencyId });
      return toCarResponse(await manager.save(car), { averageRating: null, reviewCount: 0, agency });
    });
    this.changes.committed('cars');
    return saved;
  }

  async update(id: string, dto: UpdateCarDto, actor: Actor): Promise<CarResponse> {
    await this.transactions.run(async (manager) => {
      const car = await this.locked(manager, id, actor, 'update');
      await manager.save(manager.merge(Car, car, dto));
    });
    this.changes.committed('cars');
    return this.findOne(id, actor);
  }

  /**
   * Changes the live car `id`'s images in `manager`'s transaction: the car locked FOR UPDATE, within
   * what `actor` may change (404 otherwise); `edit` gives the new list (and may write what goes with it).
   */
  async editImages(
    manager: EntityManager,
    id: string,
    actor: Actor,
    edit: (car: Car) => Promise<string[]>,
  ): Promise<void> {
    const car = await this.locked(manager, id, actor, 'update');
    car.images = await edit(car);
    await manager.save(car);
  }

  /**
   * The live car `id`, locked FOR SHARE in `manager`'s transaction, for a booking or
   * review about to reference it: it cannot be deleted (remove takes FOR UPDATE)
   * until that transaction ends. 404 for an unknown or deleted car, or one `actor` may not reach.
   */
  lockForReference(manager: EntityManager, id: string, actor: Actor): Promise<Car> {
    return this.locked(manager, id, actor, 'share');
  }

  /**
   * The live car `id` as a booking needs it; 404 for an unknown or deleted car, or one `actor` may not
   * reach, 409 when it is not available or its agency takes no bookings. From this process's
   * snapshots unless `fresh`: a snapshot is only used to write under `unchanged(car)`, and a refusal
   * is only ever made on a fresh read.
   */
  async forBooking(id: string, actor: Actor, fresh: boolean): Promise<CarSnapshot> {
    const reach = policies.cars(actor);
    // Whatever its agency's standing (an inactive agency's car is found, then refused with a 409),
    // only an agency's own reach is narrower than every car.
    const visible = (car: CarSnapshot) => reach.kind !== 'agency' || car.agencyId === reach.agencyId;
    const cached = fresh ? undefined : this.snapshots.cached(id);
    const standing = (car: CarSnapshot) => ({ status: car.agencyStatus, reason: car.agencyStatusReason });
    if (cached && cached.available && isActive(standing(cached)) && visible(cached)) return cached;
    const car = await this.snapshots.read(id);
    if (!car || !visible(car)) throw new NotFound('Car not found');
    if (!isActive(standing(car))) {
      throw new Conflict(bookingRefusal(standing(car), policies.seesStandingReason(actor, car.agencyId)));
    }
    if (!car.available) throw new Conflict('Car is not available for booking');
    return car;
  }

  /** The guard of a write that references `car` (see CarsRepository.unchanged). */
  unchanged(car: CarSnapshot): Guard {
    return this.cars.unchanged(car);
  }

  /** Soft delete, so past bookings and reviews keep their car. Refused while the car is booked. */
  async remove(id: string, actor: Actor): Promise<void> {
    await this.transactions.run(async (manager) => {
      // FOR UPDATE conflicts with the FOR SHARE a booking takes on its car: no booking slips in meanwhile.
      await this.locked(manager, id, actor, 'update');
      const holding = await this.cars.holdingBookings(manager, id);
      if (holding > 0) {
        throw new Conflict(`Car has ${holding} pending or confirmed booking(s); cancel or complete them first`);
      }
      await manager.softDelete(Car, { id });
    });
    this.changes.committed('cars');
  }

  private async locked(manager: EntityManager, id: string, actor: Actor, lock: 'share' | 'update'): Promise<Car> {
    const car = await this.cars.findLocked(manager, id, policies.cars(actor), lock);
    if (!car) throw new NotFound('Car not found');
    return car;
  }
}

/** The filters that only make sense together or in order: a clear 400 before any SQL. */
function checkCatalogueQuery(query: ListCarsQuery): void {
  if (query.priceMin !== undefined && query.priceMax !== undefined && query.priceMax < query.priceMin) {
    throw new InvalidInput('priceMax must not be below priceMin');
  }
  if (query.from || query.to) {
    if (!query.from || !query.to) throw new InvalidInput('from and to must be given together');
    if (new Date(query.to) <= new Date(query.from)) throw new InvalidInput('to must be after from');
  }
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
    agency: { id: row.agency_id, name: row.agency_name, city: row.agency_city ?? '' },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
