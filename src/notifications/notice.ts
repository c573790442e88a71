import type { AtomicWrite } from '../database/atomic-write.js';
import type { OutboxTable } from '../realtime/outbox.js';
import { word, type NoticeText } from './notice-texts.js';
import { Notification, type NotificationCategory, type NotificationType } from './notification.entity.js';

/** The notifications feed's outbox table (see OutboxRelay). */
export const NOTIFICATIONS_OUTBOX: OutboxTable = {
  table: 'notifications',
  insertOrder: 'id',
  channel: 'notifications',
};

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
  /** What it is about, for a client to route it. */
  category: NotificationCategory;
  /** The API path of what it is about (`/bookings/<id>`). */
  link: string;
  /** What happened, worded for each reader in their language (notice-texts.ts). */
  text: NoticeText;
  data?: Record<string, unknown>;
}

/**
 * Adds `notice` to `write`, the change that raises it: the notification is stored with that change
 * or not at all, and delivered live, in order, to its audience once the relay has stamped it.
 */
export function addNotice(write: AtomicWrite, notice: Notice): AtomicWrite {
  return write.insert(Notification, toNotificationRow(notice));
}

/** The row `notice` is stored as: what happened, and its English wording. */
export function toNotificationRow({ text, ...notice }: Notice): Partial<Notification> {
  return {
    ...notice,
    ...word(text, 'en'),
    kind: text.kind,
    params: text.params,
    recipientSub: notice.recipientSub ?? null,
    data: notice.data ?? null,
  };
}
