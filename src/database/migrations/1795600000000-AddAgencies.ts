import { MigrationInterface, QueryRunner } from 'typeorm';

const BUILT_IN = '00000000-0000-4000-8000-000000000001';

/**
 * Agencies, and who owns what: every existing car, notification and chat message moves to the
 * built-in agency (the one a single-agency install has been all along). Chat messages get a server
 * id of their own; the id their client gave them is kept, with who sent it, for de-duplication.
 * Booking changes are recorded from now on; reviews may name the booking they verify.
 */
export class AddAgencies1795600000000 implements MigrationInterface {
  name = 'AddAgencies1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "agencies" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8ab1f1f53f56c8255b0d7e68b28" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`INSERT INTO "agencies" ("id", "name") VALUES ($1, 'Built-in agency')`, [BUILT_IN]);
    await queryRunner.query(`
            CREATE TABLE "booking_changes" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "booking_id" uuid NOT NULL,
                "actor_sub" text NOT NULL,
                "actor_role" text NOT NULL,
                "status_from" text,
                "status_to" text,
                "paid_from" boolean,
                "paid_to" boolean,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d2e6a6a5a14fa4f8507c7840715" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`CREATE INDEX "IDX_d104a938040da57bcc7d95286a" ON "booking_changes" ("booking_id", "id")`);

    // Existing rows belong to the built-in agency; the defaults go once they are filled in.
    for (const table of ['cars', 'notifications', 'chat_messages']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "agency_id" uuid NOT NULL DEFAULT '${BUILT_IN}'`);
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "agency_id" DROP DEFAULT`);
    }
    await queryRunner.query(`ALTER TABLE "chat_messages" ADD "client_id" text`);
    await queryRunner.query(`ALTER TABLE "chat_messages" ADD "sender_id" text`);
    await queryRunner.query(`UPDATE "chat_messages" SET "client_id" = "id", "sender_id" = 'open:' || "sender"`);
    await queryRunner.query(`ALTER TABLE "chat_messages" ALTER COLUMN "client_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "chat_messages" ALTER COLUMN "sender_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "reviews" ADD "booking_id" uuid`);

    await queryRunner.query(`CREATE INDEX "IDX_3fcac681ff086712fe17706661" ON "cars" ("agency_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_0fd80f1dbf37f06b24658b8bbd" ON "chat_messages" ("agency_id")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_dd42609831f73a18d1a16f87b0" ON "chat_messages" ("sender_id", "client_id")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_b4ef5706fbee7eb90c105a4aaf" ON "notifications" ("agency_id", "id")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_c99cba951d3282645cea7a62ef" ON "reviews" ("booking_id") WHERE "booking_id" IS NOT NULL`,
    );
    await queryRunner.query(`
            ALTER TABLE "cars" ADD CONSTRAINT "FK_3fcac681ff086712fe177066610" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "booking_changes" ADD CONSTRAINT "FK_63597f2a465fd4a28b2d7e3ee97" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_messages" ADD CONSTRAINT "FK_0fd80f1dbf37f06b24658b8bbdc" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notifications" ADD CONSTRAINT "FK_ab0731d07b55a853a9718d3e85d" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "reviews" ADD CONSTRAINT "FK_bbd6ac6e3e6a8f8c6e0e8692d63" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reviews" DROP CONSTRAINT "FK_bbd6ac6e3e6a8f8c6e0e8692d63"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "FK_ab0731d07b55a853a9718d3e85d"`);
    await queryRunner.query(`ALTER TABLE "chat_messages" DROP CONSTRAINT "FK_0fd80f1dbf37f06b24658b8bbdc"`);
    await queryRunner.query(`ALTER TABLE "booking_changes" DROP CONSTRAINT "FK_63597f2a465fd4a28b2d7e3ee97"`);
    await queryRunner.query(`ALTER TABLE "cars" DROP CONSTRAINT "FK_3fcac681ff086712fe177066610"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c99cba951d3282645cea7a62ef"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b4ef5706fbee7eb90c105a4aaf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dd42609831f73a18d1a16f87b0"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0fd80f1dbf37f06b24658b8bbd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3fcac681ff086712fe17706661"`);
    await queryRunner.query(`ALTER TABLE "reviews" DROP COLUMN "booking_id"`);
    // Messages keep the id their client gave them, as before (a clash between two senders' ids keeps the first).
    await queryRunner.query(
      `DELETE FROM "chat_messages" m USING "chat_messages" o WHERE m."client_id" = o."client_id" AND m."seq" > o."seq"`,
    );
    await queryRunner.query(`UPDATE "chat_messages" SET "id" = "client_id"`);
    await queryRunner.query(`ALTER TABLE "chat_messages" DROP COLUMN "sender_id"`);
    await queryRunner.query(`ALTER TABLE "chat_messages" DROP COLUMN "client_id"`);
    for (const table of ['notifications', 'chat_messages', 'cars'])
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "agency_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d104a938040da57bcc7d95286a"`);
    await queryRunner.query(`DROP TABLE "booking_changes"`);
    await queryRunner.query(`DROP TABLE "agencies"`);
  }
}
