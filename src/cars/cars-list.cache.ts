import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DataSource,
  EntitySubscriberInterface,
  InsertEvent,
  RemoveEvent,
  SoftRemoveEvent,
  UpdateEvent,
} from 'typeorm';
import { OnEvent } from '@nestjs/event-emitter';
import { BookingCreatedEvent, BookingStatusChangedEvent } from '../bookings/booking.events.js';
import type { Page } from '../common/pagination.query.js';
import { afterCommit } from '../database/after-commit.js';
import type { AtomicWrite } from '../database/atomic-write.js';
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

/** Tells every process that GET /cars changed (sent by triggers on cars, bookings and reviews; the payload names the table). */
export const CARS_CHANGED_CHANNEL = 'cars_changed';
const MAX_ENTRIES = 200;

type WriteEvent = InsertEvent<unknown> | UpdateEvent<unknown> | RemoveEvent<unknown> | SoftRemoveEvent<unknown>;

/**
 * GET /cars is what every open dashboard polls; its serialized JSON is cached
 * per query. What changes it: a car written (seen as a TypeORM entity write),
 * a booking created or changing status (free dates) and a review (ratings),
 * heard as the events those modules emit with their writes. Such a write
 * empties the cache of this process when it commits and, through
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

  @OnEvent(BookingCreatedEvent.eventName, { suppressErrors: false })
  @OnEvent(BookingStatusChangedEvent.eventName, { suppressErrors: false })
  @OnEvent(ReviewCreatedEvent.eventName, { suppressErrors: false })
  onBookingOrReview({ write }: { write: AtomicWrite }): void {
    this.invalidate();
    write.onCommit(() => this.invalidate());
  }

  /**
   * Inside the writer's transaction: this process forgets at once and again when it commits (so it
   * reads its own writes); every process, this one too, also hears the `cars_changed` NOTIFY that the
   * tables' triggers send on commit (see the NotifyFromTriggers migration).
   */
  private onWrite(event: WriteEvent): void {
    if (event.metadata.target !== Car) return;
    this.invalidate();
    afterCommit(event.queryRunner, () => this.invalidate());
  }
}
