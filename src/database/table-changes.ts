import { Injectable } from '@nestjs/common';
import { PgBus } from './pg-bus.service.js';

/** Triggers on cars, bookings, reviews, agencies and users NOTIFY this channel with the table's name when a write commits. */
export const TABLE_CHANGED_CHANNEL = 'table_changes';

type Listener = (table: string) => void;

/**
 * The one way caches learn that a table changed. Every write to a watched table is announced by its
 * trigger's NOTIFY, heard by every process (so no writer can forget it); the process that made the
 * write also says so itself once it committed (`committed`), so that it reads its own writes without
 * waiting for the NOTIFY to come back. While the listening connection is down, announcements can be
 * missed: `reliable` is false, and on reconnect every listener hears about every table.
 */
@Injectable()
export class TableChanges {
  private readonly listeners: Listener[] = [];

  constructor(private readonly bus: PgBus) {
    bus.subscribe(TABLE_CHANGED_CHANNEL, (table) => this.emit(table));
    bus.onReconnect(() => this.emit('*'));
  }

  /** Whether every change is being heard now. */
  get reliable(): boolean {
    return this.bus.connected;
  }

  /** Calls `listener` on each change of one of `tables` (and after a lost listening connection). */
  watch(tables: readonly string[], listener: () => void): void {
    this.listeners.push((table) => {
      if (table === '*' || tables.includes(table)) listener();
    });
  }

  /** This process committed a write to `table`. */
  committed(table: string): void {
    this.emit(table);
  }

  private emit(table: string): void {
    for (const listener of this.listeners) listener(table);
  }
}
