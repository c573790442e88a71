import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { InvalidatedCache } from '../database/invalidated-cache.js';
import { TableChanges } from '../database/table-changes.js';

/** A live car as a booking needs it, and the row version (`xmin`) it was read at. */
export interface CarSnapshot {
  id: string;
  agencyId: string;
  make: string;
  model: string;
  year: number;
  images: string[];
  pricePerDay: number;
  available: boolean;
  version: string;
}

interface CarRow {
  id: string;
  agency_id: string;
  make: string;
  model: string;
  year: number;
  images: string[];
  price_per_day: string;
  available: boolean;
  version: string;
}

const MAX_ENTRIES = 10_000;

/**
 * The cars bookings are made for, read once per process and kept until the cars table changes
 * (TableChanges). Never trusted on its own: a booking is written only if its car still has the
 * version it was read at (CarsService.unchanged), so a snapshot that is stale for a moment costs a
 * retry, not a wrong booking.
 */
@Injectable()
export class CarSnapshots {
  private readonly cache: InvalidatedCache<CarSnapshot | undefined>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    changes: TableChanges,
  ) {
    this.cache = new InvalidatedCache(changes, ['cars'], MAX_ENTRIES);
  }

  cached(id: string): CarSnapshot | undefined {
    return this.cache.get(id);
  }

  /** The live car `id` as the database has it now (undefined when there is none), kept for next time. */
  async read(id: string): Promise<CarSnapshot | undefined> {
    const car = await this.cache.load(id, async () => {
      const [row] = await this.dataSource.query<CarRow[]>(
        `SELECT id, agency_id, make, model, year, images, price_per_day, available, xmin::text AS version
         FROM cars WHERE id = $1 AND deleted_at IS NULL`,
        [id],
      );
      return row && toSnapshot(row);
    });
    if (!car) this.cache.delete(id);
    return car;
  }
}

function toSnapshot(row: CarRow): CarSnapshot {
  return {
    id: row.id,
    agencyId: row.agency_id,
    make: row.make,
    model: row.model,
    year: row.year,
    images: row.images,
    pricePerDay: Number(row.price_per_day),
    available: row.available,
    version: row.version,
  };
}
