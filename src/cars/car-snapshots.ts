import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PgBus } from '../database/pg-bus.service.js';
import { CARS_CHANGED_CHANNEL } from './cars-list.cache.js';

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
 * The cars bookings are made for, read once per process and kept until the cars table changes (its
 * trigger's `cars_changed` NOTIFY, or a lost listening connection). Never trusted on its own: a
 * booking is written only if its car still has the version it was read at (CarsService.unchanged),
 * so a snapshot that is stale for a moment costs a retry, not a wrong booking.
 */
@Injectable()
export class CarSnapshots {
  private readonly entries = new Map<string, CarSnapshot>();
  private generation = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    bus: PgBus,
  ) {
    bus.subscribe(CARS_CHANGED_CHANNEL, (table) => {
      if (table === 'cars') this.clear();
    });
    bus.onReconnect(() => this.clear());
  }

  cached(id: string): CarSnapshot | undefined {
    return this.entries.get(id);
  }

  /** The live car `id` as the database has it now (undefined when there is none), kept for next time. */
  async read(id: string): Promise<CarSnapshot | undefined> {
    const generation = this.generation;
    const [row] = await this.dataSource.query<CarRow[]>(
      `SELECT id, agency_id, make, model, year, images, price_per_day, available, xmin::text AS version
       FROM cars WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    if (!row) {
      this.entries.delete(id);
      return undefined;
    }
    const car: CarSnapshot = {
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
    // A change announced while we were reading may not be in `row`: then do not keep it.
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(id, car);
    }
    return car;
  }

  private clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
