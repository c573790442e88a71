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

/** Tells every process that GET /cars changed (sent by triggers on cars, bookings and reviews). */
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

  afterInsert(event: InsertEvent<unknown>): void {
    this.onWrite(event);
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    this.onWrite(event);
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    this.onWrite(event);
  }

  afterSoftRemove(event: SoftRemoveEvent<unknown>): void {
    this.onWrite(event);
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
  onBookingOrReview({ manager }: { manager: EntityManager }): void {
    if (manager.queryRunner) this.changed(manager.queryRunner);
  }

  private onWrite(event: WriteEvent): void {
    if (event.metadata.target === Car) this.changed(event.queryRunner);
  }

  /**
   * Inside the writer's transaction: this process forgets at once and again when it commits (so it
   * reads its own writes); every process, this one too, also hears the `cars_changed` NOTIFY that the
   * tables' triggers send on commit (see the NotifyFromTriggers migration).
   */
  private changed(queryRunner: QueryRunner): void {
    this.invalidate();
    (queryRunner.data ??= {} as Record<string, unknown>).carsChanged = true;
  }
}
