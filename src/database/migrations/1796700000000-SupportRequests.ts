import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Support for everyone: a complaint may be about no booking (a support request, with a subject),
 * filed by a renter (no agency) or an agency (no renter); lists filter by category.
 */
export class SupportRequests1796700000000 implements MigrationInterface {
  name = 'SupportRequests1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaints" ALTER COLUMN "booking_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "complaints" ALTER COLUMN "agency_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "complaints" ADD "subject" text NOT NULL DEFAULT ''`);
    await queryRunner.query(
      `ALTER TABLE "complaints" ADD CONSTRAINT "complaints_about_something" CHECK ("booking_id" IS NOT NULL OR "subject" <> '')`,
    );
    await queryRunner.query(
      `ALTER TABLE "complaints" ADD CONSTRAINT "complaints_have_a_party" CHECK ("agency_id" IS NOT NULL OR "renter_sub" IS NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "complaints_by_category" ON "complaints" ("category", "created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "complaints" WHERE "booking_id" IS NULL`);
    await queryRunner.query(`DROP INDEX "complaints_by_category"`);
    await queryRunner.query(`ALTER TABLE "complaints" DROP CONSTRAINT "complaints_have_a_party"`);
    await queryRunner.query(`ALTER TABLE "complaints" DROP CONSTRAINT "complaints_about_something"`);
    await queryRunner.query(`ALTER TABLE "complaints" DROP COLUMN "subject"`);
    await queryRunner.query(`ALTER TABLE "complaints" ALTER COLUMN "agency_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "complaints" ALTER COLUMN "booking_id" SET NOT NULL`);
  }
}
