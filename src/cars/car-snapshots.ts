import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AgencyStatus } from '../agencies/agency.entity.js';
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
  /** Its agency's status (and why, when not active): only an active agency's cars are booked. */
  agencyStatus: AgencyStatus;
  agencyStatusReason: string | null;
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
  agency_status: AgencyStatus;
  agency_status_reason: string | null;
  version: string;
}

const MAX_ENTRIES = 10_000;

/**
 * The cars bookings are made for, read once per process and kept until the cars or agencies table changes
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
    this.cache = new InvalidatedCache(changes, ['cars', 'agencies'], MAX_ENTRIES);
  }

  cached(id: string): CarSnapshot | undefined {
    return this.cache.get(id);
  }

  /** The live car `id` as the database has it now (undefined when there is none), kept for next time. */
  async read(id: string): Promise<CarSnapshot | undefined> {
    const car = await this.cache.load(id, async () => {
      const [row] = await this.dataSource.query<CarRow[]>(
        `SELECT c.id, c.agency_id, c.make, c.model, c.year, c.images, c.price_per_day, c.available,
                a.status AS agency_status, a.status_reason AS agency_status_reason, c.xmin::text AS version
         FROM cars c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1 AND c.deleted_at IS NULL`,
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
    agencyStatus: row.agency_status,
    agencyStatusReason: row.agency_status_reason,
    version: row.version,
  };
}
