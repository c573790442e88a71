import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  InsertEvent,
  RemoveEvent,
  SoftRemoveEvent,
  TransactionCommitEvent,
  UpdateEvent,
} from 'typeorm';
import { OnEvent } from '@nestjs/event-emitter';
import { BookingCreatedEvent, BookingStatusChangedEvent } from '../bookings/booking.events.js';
import type { Page } from '../common/pagination.query.js';
import { publish } from '../database/notify-at-commit.js';
import { PgBus } from '../database/pg-bus.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import { ReviewCreatedEvent } from '../reviews/review-created.event.js';
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

type WriteEvent = InsertEvent<unknown> | UpdateEvent<unknown> | RemoveEvent<unknown> | SoftRemoveEvent<unknown>;

/**
 * GET /cars is what every open dashboard polls; its serialized JSON is cached
 * per query. What changes it: a car written (seen as a TypeORM entity write),
 * a booking created or changing status (free dates) and a review (ratings),
 * heard as the events those modules emit inside their transactions. Such a
 * transaction empties the cache of this process when it commits and, through
 * NOTIFY, of every other one. While the listening connection is down, nothing is cached.
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

  @OnEvent(BookingCreatedEvent.eventName, { suppressErrors: false })
  @OnEvent(BookingStatusChangedEvent.eventName, { suppressErrors: false })
  @OnEvent(ReviewCreatedEvent.eventName, { suppressErrors: false })
  async onBookingOrReview({ manager }: { manager: EntityManager }): Promise<void> {
    if (manager.queryRunner) await this.changed(manager.queryRunner, manager);
  }

  private async onWrite(event: WriteEvent): Promise<void> {
    if (event.metadata.target !== Car) return;
    await this.changed(event.queryRunner, event.manager);
  }

  /** Inside the writer's transaction: this process forgets at once, other processes hear of it on commit. */
  private async changed(queryRunner: QueryRunner, manager: EntityManager): Promise<void> {
    this.invalidate();
    const data = (queryRunner.data ??= {}) as { carsChanged?: boolean };
    if (data.carsChanged) return;
    data.carsChanged = true;
    await publish(manager, CARS_CHANGED_CHANNEL, '');
  }
}
