import { MigrationInterface, QueryRunner } from 'typeorm';

// The SQL as this migration applied it: a migration carries its own text, so history never changes.

/**
 * Who is e-mailed a notification, in the transaction that stores it (so nothing is lost, and the
 * write never waits for SMTP): a user's (renter's) to that user's address; an agency's to its
 * contact address; the admin team's own to every admin's. Each as they chose
 * (`email_notifications`: a category set to false is not sent); `account` and `agency` messages
 * (suspension, verification, approval) always are. The mailer (src/mail/) sends them after commit.
 */
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

const ENQUEUE_FUNCTION = `
CREATE OR REPLACE FUNCTION "enqueue_notification_mail"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    always boolean := NEW.category IN ('account', 'agency');
BEGIN
    IF NEW.recipient_sub IS NOT NULL THEN
        INSERT INTO "mail_queue" ("notification_id", "address", "recipient_name", "locale", "category", "next_attempt_at")
        SELECT DISTINCT ON (lower(u.email)) NEW.id, u.email, coalesce(nullif(u.first_name, ''), u.name),
               coalesce(nullif(u.locale, ''), u.token_locale), NEW.category,
               coalesce(mail_due_at(u.email, NEW.category), now())
          FROM "users" u
         WHERE u.sub = NEW.recipient_sub AND coalesce(u.email, '') <> ''
           AND (always OR (u.status = 'active' AND coalesce((u.email_notifications ->> NEW.category)::boolean, true)))
         ORDER BY lower(u.email), u.last_seen_at DESC;
    ELSIF NEW.agency_id IS NOT NULL THEN
        INSERT INTO "mail_queue" ("notification_id", "address", "recipient_name", "locale", "category", "next_attempt_at")
        SELECT NEW.id, a.email, coalesce(nullif(a.contact_name, ''), a.name), nullif(a.locale, ''), NEW.category,
               coalesce(mail_due_at(a.email, NEW.category), now())
          FROM "agencies" a
         WHERE a.id = NEW.agency_id AND coalesce(a.email, '') <> ''
           AND (always OR coalesce((a.email_notifications ->> NEW.category)::boolean, true));
    ELSE
        INSERT INTO "mail_queue" ("notification_id", "address", "recipient_name", "locale", "category", "next_attempt_at")
        SELECT DISTINCT ON (lower(u.email)) NEW.id, u.email, coalesce(nullif(u.first_name, ''), u.name),
               coalesce(nullif(u.locale, ''), u.token_locale), NEW.category,
               coalesce(mail_due_at(u.email, NEW.category), now())
          FROM "users" u
         WHERE u.role = 'admin' AND u.status = 'active' AND coalesce(u.email, '') <> ''
           AND (always OR coalesce((u.email_notifications ->> NEW.category)::boolean, true))
         ORDER BY lower(u.email), u.last_seen_at DESC;
    END IF;
    RETURN NULL;
END
$$`;

/**
 * Every process's mailer listens: a commit that queued an e-mail due now wakes them (one NOTIFY per
 * transaction: PostgreSQL folds identical ones). One that waits for its digest window wakes no one:
 * the mailers' poll finds it when it is due.
 */
const ANNOUNCE_FUNCTION = `
CREATE OR REPLACE FUNCTION "announce_mail"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mail_queue', '');
    RETURN NULL;
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
    await queryRunner.query(DUE_AT_FUNCTION);
    await queryRunner.query(ENQUEUE_FUNCTION);
    await queryRunner.query(
      `CREATE TRIGGER "notifications_mail" AFTER INSERT ON "notifications" FOR EACH ROW EXECUTE FUNCTION "enqueue_notification_mail"()`,
    );
    await queryRunner.query(ANNOUNCE_FUNCTION);
    await queryRunner.query(
      `CREATE TRIGGER "mail_queue_announce" AFTER INSERT ON "mail_queue" FOR EACH ROW
       WHEN (NEW."next_attempt_at" <= now()) EXECUTE FUNCTION "announce_mail"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "notifications_mail" ON "notifications"`);
    await queryRunner.query(`DROP TABLE "mail_queue"`);
    await queryRunner.query(`DROP FUNCTION "announce_mail"()`);
    await queryRunner.query(`DROP FUNCTION "enqueue_notification_mail"()`);
    await queryRunner.query(`DROP FUNCTION "mail_due_at"(text, text)`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "email_notifications"`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "locale"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_notifications"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "token_locale"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "params"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "kind"`);
  }
}
