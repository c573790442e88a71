import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /notifications lists newest first by the time it shows (createdAt, then id): the time is kept
 * to the millisecond it is shown with (two rows shown with one time are then equal, and the id
 * decides), and indexed in that order.
 */
export class NotificationsByCreation1795900000000 implements MigrationInterface {
  name = 'NotificationsByCreation1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ALTER COLUMN "created_at" TYPE TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "notifications_by_agency_created" ON "notifications" ("agency_id", "created_at", "id")`,
    );
    await queryRunner.query(`CREATE INDEX "notifications_by_created" ON "notifications" ("created_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "notifications_by_created"`);
    await queryRunner.query(`DROP INDEX "notifications_by_agency_created"`);
    await queryRunner.query(`ALTER TABLE "notifications" ALTER COLUMN "created_at" TYPE TIMESTAMP WITH TIME ZONE`);
  }
}
