import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { localeOf, type Locale } from '../config/locale.js';
import { Periodic } from '../common/periodic.js';
import type { Environment } from '../config/environment.js';
import { PgBus } from '../database/pg-bus.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import { NOTIFICATIONS_OUTBOX } from '../notifications/notice.js';
import { wordStored } from '../notifications/notice-texts.js';
import { CoalescedTask } from '../realtime/coalesced-task.js';
import { composeMail } from './mail-texts.js';
import { MailTransport } from './mail-transport.js';
import { MailQueueRepository, type MailOutcome, type QueuedMail } from './mail-queue.repository.js';

/** The outbox relay announces newly delivered notifications here (NOTIFICATIONS_OUTBOX's channel). */
const NOTIFICATIONS_CHANNEL = NOTIFICATIONS_OUTBOX.channel;
/** Notifications gone through per enqueue_mail call. */
const ENQUEUE_BATCH = 500;
/**
 * How long a wake-up waits for more: under a burst of writes the relay announces many times a
 * second, and one run for all of them costs a few statements instead of a few per announcement.
 */
const SETTLE_MS = 250;
/** The longest wait between two tries of one message. */
const MAX_BACKOFF_SECONDS = 3600;

/**
 * E-mails notifications, in every process. Woken when the outbox relay announces delivered
 * notifications (and every MAIL_POLL_SECONDS, for retries and digests), it queues their e-mails
 * (`enqueue_mail`: after the notifications' own commits, so the writes that raised them do no e-mail
 * work), then sends what is due: one group at a time per process; the queue makes sure no two
 * processes send the same one. A rejection (SMTP 5xx) is final; anything else — the server
 * away, a 4xx — is tried again after a back-off that doubles, for MAIL_RETRY_HOURS.
 */
@Injectable()
export class Mailer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Mailer.name);
  private readonly task: CoalescedTask;
  private readonly periodic: Periodic;
  private readonly fallback: Locale;
  private readonly digestSeconds: number;
  private readonly retryMs: number;
  private readonly backoffSeconds: number;
  private settling?: NodeJS.Timeout;
  private sent = 0;
  private failed = 0;
  private retried = 0;

  constructor(
    private readonly queue: MailQueueRepository,
    private readonly transport: MailTransport,
    bus: PgBus,
    metrics: Metrics,
    config: ConfigService<Environment, true>,
  ) {
    this.fallback = config.get('DEFAULT_LOCALE', { infer: true });
    this.digestSeconds = config.get('MAIL_DIGEST_MINUTES', { infer: true }) * 60;
    this.retryMs = config.get('MAIL_RETRY_HOURS', { infer: true }) * 3_600_000;
    this.backoffSeconds = config.get('MAIL_BACKOFF_SECONDS', { infer: true });
    this.task = new CoalescedTask(
      () => this.drain(),
      (error) => this.logger.warn(`Sending queued e-mails failed, retrying: ${String(error)}`),
    );
    this.periodic = new Periodic(config.get('MAIL_POLL_SECONDS', { infer: true }) * 1000, () => {
      this.task.trigger();
      return Promise.resolve();
    });
    bus.subscribe(NOTIFICATIONS_CHANNEL, () => this.wake());
    bus.onReconnect(() => this.wake());
    metrics.counter('mail_sent_total', 'E-mails this process sent (a digest counts once)', () => this.sent);
    metrics.counter(
      'mail_failed_total',
      'E-mails this process gave up on (rejected, or retried too long)',
      () => this.failed,
    );
    metrics.counter(
      'mail_retries_total',
      'Sends this process will try again (the server away, a 4xx)',
      () => this.retried,
    );
  }

  onApplicationBootstrap(): void {
    this.task.trigger(); // what was delivered or queued while no process ran
    this.periodic.start();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.settling);
    this.task.close();
    await this.periodic.stop();
    this.transport.close();
  }

  /** Runs once SETTLE_MS after the first announcement of a burst. */
  private wake(): void {
    if (this.settling) return;
    this.settling = setTimeout(() => {
      this.settling = undefined;
      this.task.trigger();
    }, SETTLE_MS);
    this.settling.unref();
  }

  /** Queues the e-mails of what was delivered, then sends group after group until none is due. */
  private async drain(): Promise<void> {
    while (!this.task.isClosed && (await this.queue.enqueue(ENQUEUE_BATCH)) > 0) {
      // until every delivered notification has its e-mails queued
    }
    while (!this.task.isClosed && (await this.queue.sendNext(this.digestSeconds, (group) => this.deliver(group)))) {
      // one group per transaction
    }
  }

  private async deliver({
    address,
    category,
    items,
  }: {
    address: string;
    category: string;
    items: QueuedMail[];
  }): Promise<MailOutcome> {
    const newest = items[items.length - 1];
    const locale = localeOf(newest.locale) ?? this.fallback;
    const mail = composeMail(
      items.map((item) => wordStored(item, locale)),
      { locale, name: newest.recipientName, category },
    );
    try {
      await this.transport.send({ to: address, ...mail });
      this.sent += 1;
      return { sent: true };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const code = (error as { responseCode?: number }).responseCode;
      const oldest = Math.min(...items.map((item) => new Date(item.createdAt).getTime()));
      if ((code !== undefined && code >= 500) || Date.now() - oldest >= this.retryMs) {
        this.failed += 1;
        this.logger.warn(`E-mail of ${items.length} notification(s) not delivered, given up: ${reason}`);
        return { failed: reason };
      }
      this.retried += 1;
      const attempts = Math.max(...items.map((item) => item.attempts));
      const retryInSeconds = Math.min(this.backoffSeconds * 2 ** attempts, MAX_BACKOFF_SECONDS);
      this.logger.warn(`E-mail not delivered, retrying in ${retryInSeconds} s: ${reason}`);
      return { retryInSeconds, error: reason };
    }
  }
}
