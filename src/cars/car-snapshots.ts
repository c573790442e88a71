import { Injectable } from '@nestjs/common';
import { InvalidatedCache } from '../database/invalidated-cache.js';
import { TableChanges } from '../database/table-changes.js';
import { CarsRepository, type CarSnapshot } from './cars.repository.js';

const MAX_ENTRIES = 10_000;

/**
 * The cars bookings are made for, read once per process and kept until the cars or agencies table changes
 * (TableChanges). Never trusted on its own: a booking is written only if its car still has the
 * version it was read at (CarsRepository.unchanged), so a snapshot that is stale for a moment costs a
 * retry, not a wrong booking.
 */
@Injectable()
export class CarSnapshots {
  private readonly cache: InvalidatedCache<CarSnapshot | undefined>;

  constructor(
    private readonly cars: CarsRepository,
    changes: TableChanges,
  ) {
    this.cache = new InvalidatedCache(changes, ['cars', 'agencies'], MAX_ENTRIES);
  }

  cached(id: string): CarSnapshot | undefined {
    return this.cache.get(id);
  }

  /** The live car `id` as the database has it now (undefined when there is none), kept for next time. */
  async read(id: string): Promise<CarSnapshot | undefined> {
    const car = await this.cache.load(id, () => this.cars.snapshot(id));
    if (!car) this.cache.delete(id);
    return car;
  }
}
