import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agencies as lists and applications that can be refused: a website and a contact name on the
 * profile, and `rejected` beside pending, active and suspended (an application refused, with a reason).
 */
export class AgencyListsAndRejection1796500000000 implements MigrationInterface {
  name = 'AgencyListsAndRejection1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "agencies" ADD "website" text`);
    await queryRunner.query(`ALTER TABLE "agencies" ADD "contact_name" text`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP CONSTRAINT "agencies_status_known"`);
    await queryRunner.query(
      `ALTER TABLE "agencies" ADD CONSTRAINT "agencies_status_known" CHECK ("status" IN ('pending', 'active', 'suspended', 'rejected'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "agencies" SET "status" = 'suspended' WHERE "status" = 'rejected'`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP CONSTRAINT "agencies_status_known"`);
    await queryRunner.query(
      `ALTER TABLE "agencies" ADD CONSTRAINT "agencies_status_known" CHECK ("status" IN ('pending', 'active', 'suspended'))`,
    );
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "contact_name"`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "website"`);
  }
}
