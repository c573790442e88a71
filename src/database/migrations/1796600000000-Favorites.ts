import { MigrationInterface, QueryRunner } from 'typeorm';

/** A renter's favourite cars, by identity; they go with the account or the car (a deleted car only drops out of the list). */
export class Favorites1796600000000 implements MigrationInterface {
  name = 'Favorites1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "favorites" ("issuer" text NOT NULL, "sub" text NOT NULL, "car_id" uuid NOT NULL,
         "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "PK_favorites" PRIMARY KEY ("issuer", "sub", "car_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "favorites_by_car" ON "favorites" ("car_id")`);
    await queryRunner.query(
      `ALTER TABLE "favorites" ADD CONSTRAINT "FK_favorites_car" FOREIGN KEY ("car_id") REFERENCES "cars"("id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "favorites" ADD CONSTRAINT "FK_favorites_user" FOREIGN KEY ("issuer", "sub") REFERENCES "users"("issuer", "sub") ON DELETE CASCADE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "favorites"`);
  }
}
