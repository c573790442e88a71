import { MigrationInterface, QueryRunner } from 'typeorm';

/** Profiles: what a user says of themselves beside what their token says (name and e-mail stay the token's). */
export class Profiles1796300000000 implements MigrationInterface {
  name = 'Profiles1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['first_name', 'last_name', 'phone', 'locale', 'avatar_url']) {
      await queryRunner.query(`ALTER TABLE "users" ADD "${column}" text`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['avatar_url', 'locale', 'phone', 'last_name', 'first_name']) {
      await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "${column}"`);
    }
  }
}
