import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Cars, bookings (with the no-overlap exclusion constraint), reviews, notifications, chat messages. */

export class InitialSchema1795543429461 implements MigrationInterface {
  name = 'InitialSchema1795543429461';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // btree_gist lets one GiST index combine "car_id WITH =" and a range overlap.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(`
            CREATE TABLE "cars" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "make" text NOT NULL,
                "model" text NOT NULL,
                "year" integer NOT NULL,
                "type" text NOT NULL,
                "seats" integer NOT NULL,
                "fuel_type" text NOT NULL,
                "price_per_day" numeric(10, 2) NOT NULL,
                "available" boolean NOT NULL DEFAULT true,
                "location" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "features" text array NOT NULL DEFAULT '{}',
                "images" text array NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "cars_seats_positive" CHECK ("seats" > 0),
                CONSTRAINT "cars_price_positive" CHECK ("price_per_day" > 0),
                CONSTRAINT "PK_fc218aa84e79b477d55322271b6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_c5081f3d5ba350fa707463ab2f" ON "cars" ("type")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_23fd250f21628e59676d2332e7" ON "cars" ("location")
        `);
    await queryRunner.query(`
            CREATE TABLE "bookings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "car_id" uuid NOT NULL,
                "start_date" TIMESTAMP WITH TIME ZONE NOT NULL,
                "end_date" TIMESTAMP WITH TIME ZONE NOT NULL,
                "renter_id" text NOT NULL,
                "renter_name" text NOT NULL,
                "renter_email" text NOT NULL,
                "status" text NOT NULL DEFAULT 'Pending',
                "total_price" numeric(12, 2) NOT NULL,
                "is_paid" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "bookings_total_price_positive" CHECK ("total_price" >= 0),
                CONSTRAINT "bookings_status_known" CHECK (
                    "status" IN (
                        'Pending',
                        'Confirmed',
                        'Completed',
                        'Cancelled',
                        'Rejected'
                    )
                ),
                CONSTRAINT "bookings_dates_ordered" CHECK ("end_date" > "start_date"),
                CONSTRAINT "bookings_no_overlap" EXCLUDE USING gist (
                    "car_id" WITH =,
                    tstzrange("start_date", "end_date", '[)') WITH &&
                )
                WHERE ("status" IN ('Pending', 'Confirmed')),
                    CONSTRAINT "PK_bee6805982cc1e248e94ce94957" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_a37a9ce499a633119bb1c71010" ON "bookings" ("car_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_48b267d894e32a25ebde4b207a" ON "bookings" ("status")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3411322e212076d1ac1a71e6ed" ON "bookings" ("created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "chat_messages" (
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "id" text NOT NULL,
                "sender" text NOT NULL,
                "content" text NOT NULL,
                "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "chat_messages_sender_known" CHECK ("sender" IN ('agency', 'admin')),
                CONSTRAINT "PK_37f2169ff5f5fd398b569368fd7" PRIMARY KEY ("seq")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_40c55ee0e571e268b0d3cd37d1" ON "chat_messages" ("id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_ee152f564577691082e5159ebd" ON "chat_messages" ("timestamp")
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "type" text NOT NULL,
                "title" text NOT NULL,
                "message" text NOT NULL,
                "is_read" boolean NOT NULL DEFAULT false,
                "data" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "notifications_type_known" CHECK ("type" IN ('BOOKING', 'REVIEW', 'SYSTEM')),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_f12148ce379462ebbb4d06cc13" ON "notifications" ("is_read")
        `);
    await queryRunner.query(`
            CREATE TABLE "reviews" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "car_id" uuid NOT NULL,
                "renter_id" text NOT NULL,
                "renter_name" text NOT NULL,
                "rating" smallint NOT NULL,
                "comment" text NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "reviews_rating_range" CHECK (
                    "rating" BETWEEN 1 AND 5
                ),
                CONSTRAINT "PK_231ae565c273ee700b283f15c1d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_0d6206c7f8486a304c30b8960e" ON "reviews" ("car_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_d3b0d4755fa5510f2a4041ffc8" ON "reviews" ("created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "bookings"
            ADD CONSTRAINT "FK_a37a9ce499a633119bb1c71010b" FOREIGN KEY ("car_id") REFERENCES "cars"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "reviews"
            ADD CONSTRAINT "FK_0d6206c7f8486a304c30b8960ed" FOREIGN KEY ("car_id") REFERENCES "cars"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "reviews" DROP CONSTRAINT "FK_0d6206c7f8486a304c30b8960ed"
        `);
    await queryRunner.query(`
            ALTER TABLE "bookings" DROP CONSTRAINT "FK_a37a9ce499a633119bb1c71010b"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d3b0d4755fa5510f2a4041ffc8"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_0d6206c7f8486a304c30b8960e"
        `);
    await queryRunner.query(`
            DROP TABLE "reviews"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_f12148ce379462ebbb4d06cc13"
        `);
    await queryRunner.query(`
            DROP TABLE "notifications"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ee152f564577691082e5159ebd"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_40c55ee0e571e268b0d3cd37d1"
        `);
    await queryRunner.query(`
            DROP TABLE "chat_messages"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3411322e212076d1ac1a71e6ed"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_48b267d894e32a25ebde4b207a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_a37a9ce499a633119bb1c71010"
        `);
    await queryRunner.query(`
            DROP TABLE "bookings"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_23fd250f21628e59676d2332e7"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_c5081f3d5ba350fa707463ab2f"
        `);
    await queryRunner.query(`
            DROP TABLE "cars"
        `);
    await queryRunner.query(`DROP EXTENSION IF EXISTS btree_gist`);
  }
}
