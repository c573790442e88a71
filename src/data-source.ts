import type { DataSourceOptions } from 'typeorm';
import { Account } from './accounts/account.entity.js';
import { Agency } from './agencies/agency.entity.js';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { BookingChange } from './bookings/booking-change.entity.js';
import { BookingMessage } from './bookings/booking-message.entity.js';
import { Booking } from './bookings/booking.entity.js';
import { CarRating } from './cars/car-rating.entity.js';
import { Car } from './cars/car.entity.js';
import { ChatMessage } from './chat/chat-message.entity.js';
import { ChatRead } from './chat/chat-read.entity.js';
import { ComplaintMessage } from './complaints/complaint-message.entity.js';
import { Complaint } from './complaints/complaint.entity.js';
import { Favorite } from './favorites/favorite.entity.js';
import { Document } from './documents/document.entity.js';
import { FileVariant } from './files/file-variant.entity.js';
import { StoredFile } from './files/stored-file.entity.js';
import { connectionOptions, type PoolSettings } from './database/connection-options.js';
import { IdempotencyKey } from './idempotency/idempotency-key.entity.js';
import { Notification } from './notifications/notification.entity.js';
import { Review } from './reviews/review.entity.js';

export const entities = [
  Agency,
  Account,
  Car,
  CarRating,
  Booking,
  BookingChange,
  BookingMessage,
  Review,
  Notification,
  ChatMessage,
  ChatRead,
  Complaint,
  ComplaintMessage,
  Favorite,
  StoredFile,
  FileVariant,
  Document,
  AuditEntry,
  IdempotencyKey,
];

/**
 * The one TypeORM options object: the application (TypeOrmModule), the migration CLI (ormconfig.ts)
 * and the demo seed build their DataSource from it.
 */
export function dataSourceOptions(url: string, settings: PoolSettings = {}): DataSourceOptions {
  return { ...connectionOptions(url, settings), entities };
}
