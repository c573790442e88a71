import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `cars_changed` now says which table changed (its payload was empty): the car list depends on cars,
 * bookings and reviews and still forgets on each, while the cars a booking reads (CarSnapshots) only
 * change with the cars table and no longer forget on every booking.
 */
export class NameChangedTable1795800000000 implements MigrationInterface {
  name = 'NameChangedTable1795800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await this.announce(queryRunner, 'TG_TABLE_NAME');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.announce(queryRunner, `''`);
  }

  private async announce(queryRunner: QueryRunner, payload: string): Promise<void> {
    await queryRunner.query(`
            CREATE OR REPLACE FUNCTION "announce_cars_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('cars_changed', ${payload});
                RETURN NULL;
            END
            $$
        `);
  }
}
