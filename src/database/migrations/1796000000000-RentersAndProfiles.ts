import { MigrationInterface, QueryRunner } from 'typeorm';

// The SQL as this migration applied it: a migration carries its own text, so history never changes.
const CAR_RATINGS_FUNCTION = `
CREATE OR REPLACE FUNCTION "car_ratings_follow_reviews"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."removed_at" IS NULL THEN
        UPDATE "car_ratings" SET "review_count" = "review_count" - 1, "rating_sum" = "rating_sum" - OLD."rating"
         WHERE "car_id" = OLD."car_id";
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."removed_at" IS NULL THEN
        INSERT INTO "car_ratings" ("car_id", "review_count", "rating_sum") VALUES (NEW."car_id", 1, NEW."rating")
        ON CONFLICT ("car_id") DO UPDATE
           SET "review_count" = "car_ratings"."review_count" + 1,
               "rating_sum" = "car_ratings"."rating_sum" + EXCLUDED."rating_sum";
    END IF;
    RETURN NULL;
END
$$`;

const CAR_RATINGS_TRIGGER = `
CREATE TRIGGER "reviews_car_ratings" AFTER INSERT OR DELETE OR UPDATE OF "rating", "removed_at", "car_id"
ON "reviews" FOR EACH ROW EXECUTE FUNCTION "car_ratings_follow_reviews"()`;

/**
 * Renters become users: accounts kept from tokens (`users`), notifications addressed to one user
 * (`recipient_sub`), bookings that know whether their renter booked with an account, a reason in a
 * booking's history, threads per booking, reviews that are edited, replied to and removed, ratings
 * kept per car, and agencies with a status and a public profile. `unaccent` serves the catalogue's
 * text search.
 */
export class RentersAndProfiles1796000000000 implements MigrationInterface {
  name = 'RentersAndProfiles1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await queryRunner.query(
      `CREATE TABLE "users" ("sub" text NOT NULL, "issuer" text NOT NULL, "role" text NOT NULL, "agency_id" uuid, "name" text, "email" text, "status" text NOT NULL DEFAULT 'active', "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "users_status_known" CHECK ("status" IN ('active', 'suspended')), CONSTRAINT "PK_2ca016813ffcce3392b3eb8ed0c" PRIMARY KEY ("sub"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "booking_messages" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "booking_id" uuid NOT NULL, "author_sub" text NOT NULL, "author_role" text NOT NULL, "author_name" text NOT NULL, "content" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b91a56d40d232a92ccba4432ebc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_5fc22b3e1c2b31d6d218ee0c98" ON "booking_messages" ("booking_id", "id")`);
    await queryRunner.query(
      `ALTER TABLE "booking_messages" ADD CONSTRAINT "FK_74665ddf44ef82a474462f22100" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "car_ratings" ("car_id" uuid NOT NULL, "review_count" integer NOT NULL DEFAULT '0', "rating_sum" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_7489471b730bf2a26aadf95412d" PRIMARY KEY ("car_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "car_ratings" ADD CONSTRAINT "FK_7489471b730bf2a26aadf95412d" FOREIGN KEY ("car_id") REFERENCES "cars"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    await queryRunner.query(`ALTER TABLE "agencies" ADD "status" text NOT NULL DEFAULT 'active'`);
    await queryRunner.query(
      `ALTER TABLE "agencies" ADD CONSTRAINT "agencies_status_known" CHECK ("status" IN ('pending', 'active', 'suspended'))`,
    );
    for (const column of ['status_reason', 'legal_name', 'registration_number', 'email', 'phone', 'address', 'city']) {
      await queryRunner.query(`ALTER TABLE "agencies" ADD "${column}" text`);
    }
    await queryRunner.query(`ALTER TABLE "agencies" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    // An agency's status decides which cars the catalogue shows.
    await queryRunner.query(
      `CREATE TRIGGER "agencies_cars_changed" AFTER INSERT OR UPDATE OR DELETE ON "agencies" FOR EACH STATEMENT EXECUTE FUNCTION "announce_cars_changed"()`,
    );

    await queryRunner.query(`ALTER TABLE "bookings" ADD "renter_account" boolean NOT NULL DEFAULT false`);
    // A booking whose creation entry is its renter's own token was booked with an account.
    await queryRunner.query(`
            UPDATE "bookings" b SET "renter_account" = true
             WHERE EXISTS (SELECT 1 FROM "booking_changes" c WHERE c."booking_id" = b."id" AND c."status_from" IS NULL
                             AND c."actor_role" = 'renter' AND c."actor_sub" = b."renter_id")`);
    await queryRunner.query(
      `CREATE INDEX "bookings_pending_by_creation" ON "bookings" ("created_at") WHERE "status" = 'Pending'`,
    );
    await queryRunner.query(`ALTER TABLE "booking_changes" ADD "reason" text`);
    // The catalogue's availability probe: a car's holding booking that starts last before a date.
    await queryRunner.query(
      `CREATE INDEX "bookings_holding_by_car" ON "bookings" ("car_id", "start_date" DESC) INCLUDE ("end_date") WHERE "status" IN ('Pending', 'Confirmed')`,
    );
    // A renter's usual search: one fuel type, up to a price.
    await queryRunner.query(
      `CREATE INDEX "cars_fuel_price_idx" ON "cars" (lower("fuel_type"), "price_per_day") WHERE "deleted_at" IS NULL`,
    );

    await queryRunner.query(`ALTER TABLE "notifications" ADD "recipient_sub" text`);
    await queryRunner.query(
      `CREATE INDEX "notifications_by_recipient_feed_seq" ON "notifications" ("recipient_sub", "feed_seq") WHERE "recipient_sub" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "notifications_by_recipient_created" ON "notifications" ("recipient_sub", "created_at", "id") WHERE "recipient_sub" IS NOT NULL`,
    );

    await queryRunner.query(`ALTER TABLE "reviews" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await queryRunner.query(`UPDATE "reviews" SET "updated_at" = "created_at"`);
    await queryRunner.query(`ALTER TABLE "reviews" ADD "reply_comment" text`);
    await queryRunner.query(`ALTER TABLE "reviews" ADD "reply_created_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "reviews" ADD "removed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "reviews" ADD "removed_by" text`);
    await queryRunner.query(`ALTER TABLE "reviews" ADD "removal_reason" text`);
    await queryRunner.query(`CREATE INDEX "reviews_by_renter" ON "reviews" ("renter_id", "created_at")`);

    await queryRunner.query(CAR_RATINGS_FUNCTION);
    await queryRunner.query(CAR_RATINGS_TRIGGER);
    await queryRunner.query(`
            INSERT INTO "car_ratings" ("car_id", "review_count", "rating_sum")
            SELECT "car_id", count(*), sum("rating") FROM "reviews" GROUP BY "car_id"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "reviews_car_ratings" ON "reviews"`);
    await queryRunner.query(`DROP FUNCTION "car_ratings_follow_reviews"()`);
    await queryRunner.query(`DROP INDEX "reviews_by_renter"`);
    for (const column of [
      'removal_reason',
      'removed_by',
      'removed_at',
      'reply_created_at',
      'reply_comment',
      'updated_at',
    ]) {
      await queryRunner.query(`ALTER TABLE "reviews" DROP COLUMN "${column}"`);
    }
    await queryRunner.query(`DROP INDEX "notifications_by_recipient_created"`);
    await queryRunner.query(`DROP INDEX "notifications_by_recipient_feed_seq"`);
    await queryRunner.query(`DELETE FROM "notifications" WHERE "recipient_sub" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "recipient_sub"`);
    await queryRunner.query(`DROP INDEX "cars_fuel_price_idx"`);
    await queryRunner.query(`DROP INDEX "bookings_holding_by_car"`);
    await queryRunner.query(`ALTER TABLE "booking_changes" DROP COLUMN "reason"`);
    await queryRunner.query(`DROP INDEX "bookings_pending_by_creation"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP COLUMN "renter_account"`);
    await queryRunner.query(`DROP TRIGGER "agencies_cars_changed" ON "agencies"`);
    for (const column of [
      'updated_at',
      'city',
      'address',
      'phone',
      'email',
      'registration_number',
      'legal_name',
      'status_reason',
    ]) {
      await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "${column}"`);
    }
    await queryRunner.query(`ALTER TABLE "agencies" DROP CONSTRAINT "agencies_status_known"`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "status"`);
    await queryRunner.query(`DROP TABLE "car_ratings"`);
    await queryRunner.query(`DROP TABLE "booking_messages"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP EXTENSION IF EXISTS unaccent`);
  }
}
