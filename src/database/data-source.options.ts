import type { DataSourceOptions } from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import { Car } from '../cars/car.entity.js';
import { ChatMessage } from '../chat/chat-message.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { Review } from '../reviews/review.entity.js';
import { migrations } from './migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export const entities = [Car, Booking, Review, Notification, ChatMessage];

/**
 * The one TypeORM options object: the application (TypeOrmModule) and the
 * migration CLI (ormconfig.ts) both build their DataSource from it.
 */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+; extensions are created by migrations only.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: poolSize, application_name: 'car-rental-api' },
  };
}
