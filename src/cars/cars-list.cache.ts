import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination.query.js';
import { InvalidatedCache } from '../database/invalidated-cache.js';
import { TableChanges } from '../database/table-changes.js';
import { Metrics } from '../metrics/metrics.service.js';
import type { CarResponse } from './car.response.js';

export interface SerializedList {
  body: string;
  total: number;
  etag: string;
}

/** What GET /cars shows: the cars, their free dates (bookings), their ratings (reviews) and whose they are (agencies' status). */
const LIST_TABLES = ['cars', 'bookings', 'reviews', 'agencies'] as const;
const MAX_ENTRIES = 200;

/**
 * GET /cars is what every open dashboard polls: its serialized JSON is kept per query until cars,
 * bookings, reviews or agencies change (TableChanges).
 */
@Injectable()
export class CarsListCache {
  private readonly cache: InvalidatedCache<SerializedList>;

  constructor(
    changes: TableChanges,
    private readonly metrics: Metrics,
  ) {
    this.cache = new InvalidatedCache(changes, LIST_TABLES, MAX_ENTRIES);
  }

  async get(key: string, load: () => Promise<Page<CarResponse>>): Promise<SerializedList> {
    const hit = this.cache.get(key);
    this.metrics.carsCache.inc({ result: hit ? 'hit' : 'miss' });
    if (hit) return hit;
    return this.cache.load(key, async () => {
      const page = await load();
      const body = JSON.stringify(page.items);
      return { body, total: page.total, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    });
  }

  invalidate(): void {
    this.cache.clear();
  }
}
