import type { AtomicWrite } from '../database/atomic-write.js';
import { Notification, type NotificationType } from '../notifications/notification.entity.js';

/**
 * A table of the transactional outbox: writers insert rows with `feed_seq` NULL in the transaction
 * (or statement) that makes the change, and the relay stamps them with their place in delivery
 * order once committed (see OutboxRelay, and outbox.sql.ts for the SQL).
 */
export interface OutboxTable {
  table: string;
  /** The column that says in which order the relay stamps rows it finds together (insertion order). */
  insertOrder: string;
  /** Where the relay announces the last feed_seq it stamped (see OrderedFeed). */
  channel: string;
}

export const NOTIFICATIONS_OUTBOX: OutboxTable = {
  table: 'notifications',
  insertOrder: 'id',
  channel: 'notifications',
};
export const CHAT_OUTBOX: OutboxTable = { table: 'chat_messages', insertOrder: 'seq', channel: 'chat_messages' };

/** A notification as the service that raises it words it. */
export interface Notice {
  /**
   * The agency it is about; its audience unless `recipientSub` is set (the admin team sees every
   * agency's). Null: for the admin team alone.
   */
  agencyId: string | null;
  /** Addressed to this one user (a renter) instead: only they see it. */
  recipientSub?: string;
  type: NotificationType;
  title: string;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * Adds `notice` to `write`, the change that raises it: the notification is stored with that change
 * or not at all, and delivered live, in order, to its audience once the relay has stamped it.
 */
export function addNotice(write: AtomicWrite, notice: Notice): AtomicWrite {
  return write.insert(Notification, {
    ...notice,
    recipientSub: notice.recipientSub ?? null,
    data: notice.data ?? null,
  });
}
