import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DataSource,
  EntitySubscriberInterface,
  InsertEvent,
  RemoveEvent,
  SoftRemoveEvent,
  TransactionCommitEvent,
  UpdateEvent,
} from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import type { Page } from '../common/pagination.query.js';
import { PgBus, publish } from '../database/pg-bus.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import { Review } from '../reviews/review.entity.js';
import { Car } from './car.entity.js';
import type { CarResponse } from './car.response.js';

export interface SerializedList {
  body: string;
  total: number;
  etag: string;
}

/** Tells every process that GET /cars changed. */
export const CARS_CHANGED_CHANNEL = 'cars_changed';
const MAX_ENTRIES = 200;
/** Entities whose changes show in GET /cars: cars themselves, ratings (reviews), free dates (bookings). */
const WATCHED = new Set<unknown>([Car, Booking, Review]);

type WriteEvent = InsertEvent<unknown> | UpdateEvent<unknown> | RemoveEvent<unknown> | SoftRemoveEvent<unknown>;

/**
 * GET /cars is what every open dashboard polls; its serialized JSON is cached
 * per query. A transaction that writes a car, booking or review empties the
 * cache of this process when it commits and, through NOTIFY, of every other one.
 * While the listening connection is down, nothing is cached.
 */
@Injectable()
export class CarsListCache implements EntitySubscriberInterface {
  private readonly entries = new Map<string, SerializedList>();
  private generation = 0;

  constructor(
    private readonly bus: PgBus,
    private readonly metrics: Metrics,
    @InjectDataSource() dataSource: DataSource,
  ) {
    dataSource.subscribers.push(this);
    bus.subscribe(CARS_CHANGED_CHANNEL, () => this.invalidate());
    bus.onReconnect(() => this.invalidate());
  }

  async get(key: string, load: () => Promise<Page<CarResponse>>): Promise<SerializedList> {
    const hit = this.entries.get(key);
    this.metrics.carsCache.inc({ result: hit ? 'hit' : 'miss' });
    if (hit) return hit;
    const generation = this.generation;
    const page = await load();
    const body = JSON.stringify(page.items);
    const entry = { body, total: page.total, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    // A write that committed while we were reading may not be in `page`: then do not keep it.
    if (generation === this.generation && this.bus.connected) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, entry);
    }
    return entry;
  }

  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  afterInsert(event: InsertEvent<unknown>): Promise<void> {
    return this.onWrite(event);
  }

  afterUpdate(event: UpdateEvent<unknown>): Promise<void> {
    return this.onWrite(event);
  }

  afterRemove(event: RemoveEvent<unknown>): Promise<void> {
    return this.onWrite(event);
  }

  afterSoftRemove(event: SoftRemoveEvent<unknown>): Promise<void> {
    return this.onWrite(event);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data?.carsChanged) {
      event.queryRunner.data.carsChanged = false;
      this.invalidate();
    }
  }

  /** Inside the writer's transaction: other processes hear of it on commit. */
  private async onWrite(event: WriteEvent): Promise<void> {
    if (!WATCHED.has(event.metadata.target)) return;
    this.invalidate();
    const data = (event.queryRunner.data ??= {}) as { carsChanged?: boolean };
    if (data.carsChanged) return;
    data.carsChanged = true;
    await publish(event.manager, CARS_CHANGED_CHANNEL, '');
  }
}
