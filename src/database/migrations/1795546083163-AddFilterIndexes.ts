import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the list filters: case-insensitive car type and location, availability
 * (only live cars: soft-deleted ones never appear in lists), and booking dates.
 */
export class AddFilterIndexes1795546083163 implements MigrationInterface {
  name = 'AddFilterIndexes1795546083163';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_c5081f3d5ba350fa707463ab2f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_23fd250f21628e59676d2332e7"`);
    await queryRunner.query(`CREATE INDEX "cars_lower_type_idx" ON "cars" (lower("type")) WHERE "deleted_at" IS NULL`);
    await queryRunner.query(
      `CREATE INDEX "cars_lower_location_idx" ON "cars" (lower("location")) WHERE "deleted_at" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "cars_available_idx" ON "cars" ("available") WHERE "deleted_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "bookings_dates_idx" ON "bookings" ("start_date", "end_date")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."bookings_dates_idx"`);
    await queryRunner.query(`DROP INDEX "public"."cars_available_idx"`);
    await queryRunner.query(`DROP INDEX "public"."cars_lower_location_idx"`);
    await queryRunner.query(`DROP INDEX "public"."cars_lower_type_idx"`);
    await queryRunner.query(`CREATE INDEX "IDX_23fd250f21628e59676d2332e7" ON "cars" ("location")`);
    await queryRunner.query(`CREATE INDEX "IDX_c5081f3d5ba350fa707463ab2f" ON "cars" ("type")`);
  }
}
