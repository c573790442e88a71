import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications a client can route: a category (booking, review, message, complaint, agency,
 * account, system) and the API path of what each is about, filled in for the stored ones from what
 * their `data` carries.
 */
export class NotificationCategories1796400000000 implements MigrationInterface {
  name = 'NotificationCategories1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD "category" text NOT NULL DEFAULT 'system'`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD "link" text NOT NULL DEFAULT ''`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "notifications_category_known" CHECK ("category" IN ('booking', 'review', 'message', 'complaint', 'agency', 'account', 'system'))`,
    );
    await queryRunner.query(`
      UPDATE "notifications" SET
        "category" = CASE
          WHEN "data" ? 'complaint' THEN 'complaint'
          WHEN "data" ? 'message' THEN 'message'
          WHEN "data" ? 'review' THEN 'review'
          WHEN "data" ? 'booking' THEN 'booking'
          WHEN "data" ? 'agencyId' AND "data" ? 'status' THEN 'agency'
          ELSE 'system' END,
        "link" = CASE
          WHEN "data" ? 'complaint' THEN '/complaints/' || ("data" -> 'complaint' ->> 'id')
          WHEN "data" ? 'message' AND "data" ? 'bookingId' THEN '/bookings/' || ("data" ->> 'bookingId') || '/messages'
          WHEN "data" ? 'review' THEN '/reviews/' || ("data" -> 'review' ->> 'id')
          WHEN "data" ? 'booking' THEN '/bookings/' || ("data" -> 'booking' ->> 'id')
          WHEN "data" ? 'agencyId' AND "data" ? 'status' THEN '/agencies/' || ("data" ->> 'agencyId')
          ELSE '' END
      WHERE "data" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_category_known"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "link"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "category"`);
  }
}
