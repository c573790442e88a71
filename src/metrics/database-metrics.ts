import { Injectable } from '@nestjs/common';
import { PgBus } from '../database/pg-bus.service.js';
import { Metrics } from './metrics.service.js';

/** The database's own gauges: whether this process hears PostgreSQL's notifications. */
@Injectable()
export class DatabaseMetrics {
  constructor(metrics: Metrics, bus: PgBus) {
    metrics.gauge('pg_listener_up', 'Whether the LISTEN connection to PostgreSQL is up (1) or not (0)', () =>
      bus.connected ? 1 : 0,
    );
  }
}
