import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** One queued message of a group, with the notification it carries. */
export interface QueuedMail {
  id: string;
  locale: string | null;
  recipientName: string | null;
  attempts: number;
  createdAt: Date;
  kind: string | null;
  params: unknown;
  title: string;
  message: string;
}

/** What became of a group's send. */
export type MailOutcome = { sent: true } | { retryInSeconds: number; error: string } | { failed: string };

/**
 * The SQL of the mail queue. A group is every pending message of one category to one address: it
 * is claimed by one process at a time (its rows locked, SKIP LOCKED for the others, and an advisory
 * lock on the group so that two processes never split it), sent as one e-mail, and marked in the
 * same transaction: a process that dies mid-send leaves it pending for the next.
 */
@Injectable()
export class MailQueueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Queues the e-mails of up to `batch` delivered notifications not queued yet (the enqueue_mail
   * function): how many notifications it went through, 0 when none was waiting, -1 when another
   * process is at it.
   */
  async enqueue(batch: number): Promise<number> {
    const [{ covered }] = await this.dataSource.query<{ covered: number }[]>('SELECT enqueue_mail($1) AS covered', [
      batch,
    ]);
    return covered;
  }

  /**
   * Claims the next group due (a message waiting for its digest window is not due: enqueue_mail and
   * the deferral after a send set when it is), hands it to `deliver` and records the outcome. False
   * when no group is due.
   */
  async sendNext(
    digestSeconds: number,
    deliver: (group: { address: string; category: string; items: QueuedMail[] }) => Promise<MailOutcome>,
  ): Promise<boolean> {
    // Most wake-ups find nothing due: one statement says so, without a transaction.
    const [{ due }] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM mail_queue WHERE status = 'pending' AND next_attempt_at <= now()) AS due`,
    );
    if (!due) return false;
    return this.dataSource.transaction(async (manager) => {
      const [due] = await manager.query<{ address: string; category: string }[]>(
        `SELECT q.address, q.category FROM mail_queue q
          WHERE q.status = 'pending' AND q.next_attempt_at <= now()
            AND pg_try_advisory_xact_lock(hashtext('mail_queue'), hashtext(q.address || ' ' || q.category))
          ORDER BY q.next_attempt_at, q.id
          LIMIT 1
          FOR UPDATE OF q SKIP LOCKED`,
      );
      if (!due) return false;
      const items = await this.group(manager, due.address, due.category);
      if (items.length === 0) return true;
      const outcome = await deliver({ ...due, items });
      await this.record(
        manager,
        items.map((item) => item.id),
        outcome,
      );
      if ('sent' in outcome && digestSeconds > 0) {
        // What was queued for this group while it was being sent waits for the window it opened.
        await manager.query(
          `UPDATE mail_queue SET next_attempt_at = now() + make_interval(secs => $3)
            WHERE status = 'pending' AND address = $1 AND category = $2 AND next_attempt_at < now() + make_interval(secs => $3)`,
          [due.address, due.category, digestSeconds],
        );
      }
      return true;
    });
  }

  private group(manager: EntityManager, address: string, category: string): Promise<QueuedMail[]> {
    return manager.query<QueuedMail[]>(
      `SELECT q.id, q.locale, q.recipient_name AS "recipientName", q.attempts, q.created_at AS "createdAt",
              n.kind, n.params, n.title, n.message
         FROM mail_queue q JOIN notifications n ON n.id = q.notification_id
        WHERE q.status = 'pending' AND q.address = $1 AND q.category = $2
        ORDER BY q.id
        FOR UPDATE OF q SKIP LOCKED`,
      [address, category],
    );
  }

  private async record(manager: EntityManager, ids: string[], outcome: MailOutcome): Promise<void> {
    if ('sent' in outcome) {
      await manager.query(
        `UPDATE mail_queue SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
          WHERE id = ANY($1::bigint[])`,
        [ids],
      );
    } else if ('failed' in outcome) {
      await manager.query(
        `UPDATE mail_queue SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
        [ids, outcome.failed],
      );
    } else {
      await manager.query(
        `UPDATE mail_queue SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = now() + make_interval(secs => $3)
          WHERE id = ANY($1::bigint[])`,
        [ids, outcome.error, outcome.retryInSeconds],
      );
    }
  }
}
