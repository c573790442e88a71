import { MigrationInterface, QueryRunner } from 'typeorm';

// The SQL as this migration applied it: a migration carries its own text, so history never changes.

/**
 * When a new e-mail to `to_address` of `of_category` is due: now, or when the digest window that its
 * last e-mail opened ends (`app.mail_digest_seconds`, set on the API's connections). Until then it
 * waits, and goes out with whatever else comes meanwhile.
 */
const DUE_AT_FUNCTION = `
CREATE OR REPLACE FUNCTION "mail_due_at"(to_address text, of_category text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT greatest(now(), max(sent_at) + make_interval(secs =>
             coalesce(nullif(current_setting('app.mail_digest_seconds', true), '')::float8, 0)))
      FROM "mail_queue"
     WHERE status = 'sent' AND address = to_address AND category = of_category
$$`;

/**
 * Queues the e-mails of the next `batch` notifications in delivery order after `mail_cursor`, and
 * moves the cursor past them, in one transaction: each notification is queued once, after its own
 * commit, and the write that raised it does no e-mail work. Who is e-mailed: a user's notification
 * (a renter's) goes to that user's address; an agency's to its contact address; the admin team's own
 * to every admin's; each as they chose (`email_notifications`: a category set to false is not sent),
 * `account` and `agency` messages (suspension, verification, approval) always. The cursor's row lock
 * lets one process at a time do it: another gets -1 at once. Returns how many notifications it went
 * through (0: none was waiting).
 */
const ENQUEUE_FUNCTION = `
CREATE OR REPLACE FUNCTION "enqueue_mail"(batch integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    done bigint;
    upto bigint;
    covered integer;
BEGIN
    SELECT feed_seq INTO done FROM "mail_cursor" FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN -1;
    END IF;
    SELECT count(*), max(s.feed_seq) INTO covered, upto
      FROM (SELECT feed_seq FROM "notifications" WHERE feed_seq > done ORDER BY feed_seq LIMIT batch) s;
    IF covered = 0 THEN
        RETURN 0;
    END IF;
    INSERT INTO "mail_queue" ("notification_id", "address", "recipient_name", "locale", "category", "next_attempt_at")
    SELECT n.id, r.address, r.name, r.locale, n.category, coalesce(mail_due_at(r.address, n.category), now())
      FROM "notifications" n
      CROSS JOIN LATERAL (
          (SELECT DISTINCT ON (lower(u.email)) u.email AS address, coalesce(nullif(u.first_name, ''), u.name) AS name,
                  coalesce(nullif(u.locale, ''), u.token_locale) AS locale
             FROM "users" u
            WHERE n.recipient_sub IS NOT NULL AND u.sub = n.recipient_sub AND coalesce(u.email, '') <> ''
              AND (n.category IN ('account', 'agency')
                   OR (u.status = 'active' AND coalesce((u.email_notifications ->> n.category)::boolean, true)))
            ORDER BY lower(u.email), u.last_seen_at DESC)
          UNION ALL
          (SELECT a.email, coalesce(nullif(a.contact_name, ''), a.name), nullif(a.locale, '')
             FROM "agencies" a
            WHERE n.recipient_sub IS NULL AND a.id = n.agency_id AND coalesce(a.email, '') <> ''
              AND (n.category IN ('account', 'agency') OR coalesce((a.email_notifications ->> n.category)::boolean, true)))
          UNION ALL
          (SELECT DISTINCT ON (lower(u.email)) u.email, coalesce(nullif(u.first_name, ''), u.name),
                  coalesce(nullif(u.locale, ''), u.token_locale)
             FROM "users" u
            WHERE n.recipient_sub IS NULL AND n.agency_id IS NULL AND u.role = 'admin' AND u.status = 'active'
              AND coalesce(u.email, '') <> ''
              AND (n.category IN ('account', 'agency') OR coalesce((u.email_notifications ->> n.category)::boolean, true))
            ORDER BY lower(u.email), u.last_seen_at DESC)
      ) r
     WHERE n.feed_seq > done AND n.feed_seq <= upto
     ORDER BY n.feed_seq;
    UPDATE "mail_cursor" SET feed_seq = upto;
    RETURN covered;
END
$$`;

/**
 * Notifications stored as what happened (kind, parameters), for each reader's language; the e-mails
 * they are sent as, queued; who reads which language and wants which e-mails.
 */
export class MailAndLanguages1797100000000 implements MigrationInterface {
  name = 'MailAndLanguages1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD "kind" text`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD "params" jsonb`);
    await queryRunner.query(`ALTER TABLE "users" ADD "token_locale" text`);
    await queryRunner.query(`ALTER TABLE "users" ADD "email_notifications" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "agencies" ADD "locale" text`);
    await queryRunner.query(`ALTER TABLE "agencies" ADD "email_notifications" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `CREATE TABLE "mail_queue" (
         "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
         "notification_id" bigint NOT NULL,
         "address" text NOT NULL,
         "recipient_name" text,
         "locale" text,
         "category" text NOT NULL,
         "status" text NOT NULL DEFAULT 'pending',
         "attempts" integer NOT NULL DEFAULT 0,
         "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "sent_at" TIMESTAMP WITH TIME ZONE,
         "last_error" text,
         CONSTRAINT "mail_queue_status_known" CHECK ("status" IN ('pending', 'sent', 'failed')),
         CONSTRAINT "PK_mail_queue" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "mail_queue_due" ON "mail_queue" ("next_attempt_at") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "mail_queue_sent_recently" ON "mail_queue" ("address", "category", "sent_at") WHERE "status" = 'sent'`,
    );
    await queryRunner.query(`CREATE INDEX "mail_queue_by_notification" ON "mail_queue" ("notification_id")`);
    await queryRunner.query(
      `ALTER TABLE "mail_queue" ADD CONSTRAINT "FK_mail_queue_notification" FOREIGN KEY ("notification_id")
         REFERENCES "notifications"("id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `CREATE TABLE "mail_cursor" ("id" boolean NOT NULL DEFAULT true, "feed_seq" bigint NOT NULL,
         CONSTRAINT "mail_cursor_one_row" CHECK ("id"), CONSTRAINT "PK_mail_cursor" PRIMARY KEY ("id"))`,
    );
    // What was delivered before e-mail existed is not e-mailed.
    await queryRunner.query(
      `INSERT INTO "mail_cursor" ("feed_seq") SELECT coalesce(max("feed_seq"), 0) FROM "notifications"`,
    );
    await queryRunner.query(DUE_AT_FUNCTION);
    await queryRunner.query(ENQUEUE_FUNCTION);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "enqueue_mail"(integer)`);
    await queryRunner.query(`DROP FUNCTION "mail_due_at"(text, text)`);
    await queryRunner.query(`DROP TABLE "mail_cursor"`);
    await queryRunner.query(`DROP TABLE "mail_queue"`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "email_notifications"`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "locale"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_notifications"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "token_locale"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "params"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "kind"`);
  }
}
