import { MigrationInterface, QueryRunner } from 'typeorm';

/** GET /notifications lists newest first by the time it shows (createdAt, then id): an index for that order. */
export class NotificationsByCreation1795900000000 implements MigrationInterface {
  name = 'NotificationsByCreation1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "notifications_by_agency_created" ON "notifications" ("agency_id", "created_at", "id")`,
    );
    await queryRunner.query(`CREATE INDEX "notifications_by_created" ON "notifications" ("created_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "notifications_by_created"`);
    await queryRunner.query(`DROP INDEX "notifications_by_agency_created"`);
  }
}
