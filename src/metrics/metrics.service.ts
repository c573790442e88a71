import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Every metric of this process, in one prom-client registry (GET /metrics).
 * Services count what they do through the counters here, and register gauges
 * for what they hold (`gauge`), so nothing here reaches into them.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status (long-lived streams count when they end)',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly notificationsPublished = new Counter({
    name: 'notifications_published_total',
    help: 'Committed notifications this process learned of through PostgreSQL (each once)',
    registers: [this.registry],
  });
  readonly sseDelivered = new Counter({
    name: 'sse_events_delivered_total',
    help: 'Notification events written to SSE streams (replays included)',
    registers: [this.registry],
  });
  readonly sseDropped = new Counter({
    name: 'sse_slow_clients_dropped_total',
    help: 'SSE streams dropped because their client stopped reading',
    registers: [this.registry],
  });
  readonly chatRelayed = new Counter({
    name: 'chat_messages_relayed_total',
    help: 'Chat frames written to sockets of this process',
    registers: [this.registry],
  });
  readonly carsCache = new Counter({
    name: 'cars_list_cache_requests_total',
    help: 'GET /cars answered from the cache (hit) or the database (miss)',
    labelNames: ['result'],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    const pool = () => (dataSource.driver as unknown as { master?: Pool }).master;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const current = pool();
        this.set({ state: 'in_use' }, current ? current.totalCount - current.idleCount : 0);
        this.set({ state: 'idle' }, current?.idleCount ?? 0);
        this.set({ state: 'waiting' }, current?.waitingCount ?? 0);
      },
    });
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}
