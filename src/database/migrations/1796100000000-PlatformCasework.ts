import { MigrationInterface, QueryRunner } from 'typeorm';

// The SQL as this migration applied it: a migration carries its own text, so history never changes.
const AUDIT_APPEND_ONLY_FUNCTION = `
CREATE OR REPLACE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$`;

const AUDIT_APPEND_ONLY_TRIGGER = `
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"()`;

/**
 * The admin team's casework: the append-only audit trail, complaints with their threads, the support
 * inbox's read markers, notifications for the admin team alone (no agency), and a NOTIFY when an
 * account's status changes (every process ends a suspended account's streams and sockets).
 */
export class PlatformCasework1796100000000 implements MigrationInterface {
  name = 'PlatformCasework1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "actor_sub" text NOT NULL, "actor_role" text NOT NULL, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" text NOT NULL, "before" jsonb, "after" jsonb, "reason" text, "request_id" text, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "audit_log_by_entity" ON "audit_log" ("entity_type", "entity_id", "at")`);
    await queryRunner.query(`CREATE INDEX "audit_log_by_actor" ON "audit_log" ("actor_sub", "at")`);
    await queryRunner.query(`CREATE INDEX "audit_log_by_time" ON "audit_log" ("at", "id")`);
    await queryRunner.query(AUDIT_APPEND_ONLY_FUNCTION);
    await queryRunner.query(AUDIT_APPEND_ONLY_TRIGGER);

    await queryRunner.query(
      `CREATE TABLE "chat_reads" ("agency_id" uuid NOT NULL, "read_up_to" bigint NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3a65dd43615930e061e4ec32e8c" PRIMARY KEY ("agency_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_reads" ADD CONSTRAINT "FK_3a65dd43615930e061e4ec32e8c" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    await queryRunner.query(
      `CREATE TABLE "complaints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "booking_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "renter_sub" text, "filed_by_sub" text NOT NULL, "filed_by_role" text NOT NULL, "category" text NOT NULL, "description" text NOT NULL, "status" text NOT NULL DEFAULT 'open', "priority" text NOT NULL DEFAULT 'normal', "assignee" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "complaints_priority_known" CHECK ("priority" IN ('low', 'normal', 'high', 'urgent')), CONSTRAINT "complaints_status_known" CHECK ("status" IN ('open', 'in_review', 'resolved', 'rejected')), CONSTRAINT "complaints_category_known" CHECK ("category" IN ('vehicle_condition', 'billing', 'no_show', 'behaviour', 'other')), CONSTRAINT "PK_4b7566a2a489c2cc7c12ed076ad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "complaints_by_renter" ON "complaints" ("renter_sub", "created_at")`);
    await queryRunner.query(`CREATE INDEX "complaints_by_agency" ON "complaints" ("agency_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "complaints_by_status" ON "complaints" ("status", "priority", "created_at")`);
    await queryRunner.query(
      `ALTER TABLE "complaints" ADD CONSTRAINT "FK_a56fb6611928c35f52a13bd4751" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "complaint_messages" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "complaint_id" uuid NOT NULL, "author_sub" text NOT NULL, "author_role" text NOT NULL, "content" text NOT NULL, "internal" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_124369149771e8375e8b593bb20" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8f8af138a59a1f61302d63ce60" ON "complaint_messages" ("complaint_id", "id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "complaint_messages" ADD CONSTRAINT "FK_bc72bf861c3a9af0ab986fb53b5" FOREIGN KEY ("complaint_id") REFERENCES "complaints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    // The overview's bookings by creation and status (an index-only count), new accounts.
    await queryRunner.query(`DROP INDEX "IDX_3411322e212076d1ac1a71e6ed"`);
    await queryRunner.query(`CREATE INDEX "bookings_by_creation" ON "bookings" ("created_at", "status")`);
    await queryRunner.query(`CREATE INDEX "users_by_first_seen" ON "users" ("first_seen_at")`);
    // The overview's revenue (paid Completed bookings by end) and occupancy (booked periods).
    await queryRunner.query(
      `CREATE INDEX "bookings_paid_by_end" ON "bookings" ("end_date") INCLUDE ("car_id", "total_price") WHERE "status" = 'Completed' AND "is_paid"`,
    );
    await queryRunner.query(
      `CREATE INDEX "bookings_booked_period" ON "bookings" USING gist (tstzrange("start_date", "end_date", '[)')) WHERE "status" IN ('Confirmed', 'Completed')`,
    );
    // A notification without an agency is for the admin team alone.
    await queryRunner.query(`ALTER TABLE "notifications" ALTER COLUMN "agency_id" DROP NOT NULL`);
    // Every process reloads the suspended accounts when one's status changes.
    await queryRunner.query(
      `CREATE TRIGGER "users_status_changed" AFTER UPDATE OF "status" ON "users" FOR EACH STATEMENT EXECUTE FUNCTION "announce_cars_changed"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "users_status_changed" ON "users"`);
    await queryRunner.query(`DELETE FROM "notifications" WHERE "agency_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "notifications" ALTER COLUMN "agency_id" SET NOT NULL`);
    await queryRunner.query(`DROP INDEX "users_by_first_seen"`);
    await queryRunner.query(`DROP INDEX "bookings_by_creation"`);
    await queryRunner.query(`CREATE INDEX "IDX_3411322e212076d1ac1a71e6ed" ON "bookings" ("created_at")`);
    await queryRunner.query(`DROP INDEX "bookings_booked_period"`);
    await queryRunner.query(`DROP INDEX "bookings_paid_by_end"`);
    await queryRunner.query(`DROP TABLE "complaint_messages"`);
    await queryRunner.query(`DROP TABLE "complaints"`);
    await queryRunner.query(`DROP TABLE "chat_reads"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP FUNCTION "audit_log_append_only"()`);
  }
}
