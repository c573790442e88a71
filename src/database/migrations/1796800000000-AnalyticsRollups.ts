import { MigrationInterface, QueryRunner } from 'typeorm';

/** The measures a day keeps (created bookings by their current status, revenue, booked time, accounts). */
const MEASURES = `"pending" integer NOT NULL DEFAULT 0, "confirmed" integer NOT NULL DEFAULT 0,
  "completed" integer NOT NULL DEFAULT 0, "cancelled" integer NOT NULL DEFAULT 0, "rejected" integer NOT NULL DEFAULT 0,
  "revenue" numeric NOT NULL DEFAULT 0, "booked_seconds" numeric NOT NULL DEFAULT 0,
  "new_accounts" integer NOT NULL DEFAULT 0`;

/** The columns of rollup_deltas that booking_deltas() fills, in its order. */
const BOOKING_DELTA_COLUMNS = `"day", "agency_id", "car_type", "pending", "confirmed", "completed", "cancelled",
  "rejected", "revenue", "booked_seconds"`;

/**
 * What one booking adds to the daily figures (`sign` -1 takes it back), with its car's agency, type
 * and life: one row on its creation day (its status counted), one on its end day when it is paid and
 * Completed (its price), one per day it holds the car while Confirmed or Completed, clipped to the
 * car's life (the seconds booked that day). Days are UTC calendar days. The one rule of the figures:
 * the triggers and the rebuild both use it.
 */
const BOOKING_DELTAS = `
CREATE FUNCTION "booking_deltas"(b "bookings", p_agency uuid, p_type text, p_from timestamptz,
                                 p_to timestamptz, p_sign integer)
RETURNS TABLE ("day" date, "agency_id" uuid, "car_type" text, "pending" integer, "confirmed" integer,
               "completed" integer, "cancelled" integer, "rejected" integer, "revenue" numeric,
               "booked_seconds" numeric)
LANGUAGE sql STABLE AS $$
  SELECT (b.created_at AT TIME ZONE 'UTC')::date, p_agency, p_type,
         p_sign * (b.status = 'Pending')::int, p_sign * (b.status = 'Confirmed')::int,
         p_sign * (b.status = 'Completed')::int, p_sign * (b.status = 'Cancelled')::int,
         p_sign * (b.status = 'Rejected')::int, 0::numeric, 0::numeric
  UNION ALL
  SELECT (b.end_date AT TIME ZONE 'UTC')::date, p_agency, p_type, 0, 0, 0, 0, 0, p_sign * b.total_price, 0
   WHERE b.status = 'Completed' AND b.is_paid
  UNION ALL
  SELECT d::date, p_agency, p_type, 0, 0, 0, 0, 0, 0,
         p_sign * extract(epoch FROM least(span.hi, d + interval '1 day') - greatest(span.lo, d))
    FROM (SELECT greatest(b.start_date, p_from) AT TIME ZONE 'UTC' AS lo,
                 least(b.end_date, coalesce(p_to, 'infinity')) AT TIME ZONE 'UTC' AS hi) span,
         generate_series(date_trunc('day', span.lo), span.hi, interval '1 day') d
   WHERE b.status IN ('Confirmed', 'Completed') AND span.hi > span.lo AND d < span.hi
$$`;

/** The deltas of a booking as it was (OLD) and as it is (NEW), with its car's facts. */
const BOOKINGS_ROLLUP = `
CREATE FUNCTION "bookings_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO "rollup_deltas" (${BOOKING_DELTA_COLUMNS})
        SELECT d.* FROM "cars" c, "booking_deltas"(OLD, c.agency_id, c.type, c.created_at, c.deleted_at, -1) d
         WHERE c.id = OLD.car_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO "rollup_deltas" (${BOOKING_DELTA_COLUMNS})
        SELECT d.* FROM "cars" c, "booking_deltas"(NEW, c.agency_id, c.type, c.created_at, c.deleted_at, 1) d
         WHERE c.id = NEW.car_id;
    END IF;
    RETURN NULL;
END
$$`;

/** A car whose agency, type or life changes moves its bookings' figures along. */
const CARS_ROLLUP = `
CREATE FUNCTION "cars_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "rollup_deltas" (${BOOKING_DELTA_COLUMNS})
    SELECT d.* FROM "bookings" b,
           LATERAL (SELECT * FROM "booking_deltas"(b, OLD.agency_id, OLD.type, OLD.created_at, OLD.deleted_at, -1)
                    UNION ALL
                    SELECT * FROM "booking_deltas"(b, NEW.agency_id, NEW.type, NEW.created_at, NEW.deleted_at, 1)) d
     WHERE b.car_id = NEW.id;
    RETURN NULL;
END
$$`;

/** An account counts on the day it was first seen. */
const USERS_ROLLUP = `
CREATE FUNCTION "users_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "rollup_deltas" ("day", "new_accounts") VALUES ((NEW.first_seen_at AT TIME ZONE 'UTC')::date, 1);
    ELSE
        INSERT INTO "rollup_deltas" ("day", "new_accounts") VALUES ((OLD.first_seen_at AT TIME ZONE 'UTC')::date, -1);
    END IF;
    RETURN NULL;
END
$$`;

/**
 * Moves up to `batch` deltas, oldest first, into the rollups of the three grains (the platform, each
 * car type, each agency) in one statement; returns how many it moved. Rows another fold is moving
 * are skipped, so folds on several processes never wait for each other nor count a delta twice.
 */
const FOLD_ROLLUPS = `
CREATE FUNCTION "fold_rollups"(batch integer) RETURNS integer LANGUAGE sql AS $$
  WITH moved AS (
    DELETE FROM "rollup_deltas" WHERE "id" IN (
      SELECT "id" FROM "rollup_deltas" ORDER BY "id" LIMIT batch FOR UPDATE SKIP LOCKED)
    RETURNING *),
  keyed AS (
    SELECT 'total' AS grain, '' AS key, * FROM moved
    UNION ALL SELECT 'type', car_type, * FROM moved WHERE car_type IS NOT NULL
    UNION ALL SELECT 'agency', agency_id::text, * FROM moved WHERE agency_id IS NOT NULL),
  folded AS (
    INSERT INTO "rollups" AS r ("grain", "day", "key", "pending", "confirmed", "completed", "cancelled",
                                "rejected", "revenue", "booked_seconds", "new_accounts")
    SELECT grain, day, key, sum(pending), sum(confirmed), sum(completed), sum(cancelled), sum(rejected),
           sum(revenue), sum(booked_seconds), sum(new_accounts)
      FROM keyed GROUP BY grain, day, key
    ON CONFLICT ("grain", "day", "key") DO UPDATE SET
      "pending" = r.pending + EXCLUDED.pending, "confirmed" = r.confirmed + EXCLUDED.confirmed,
      "completed" = r.completed + EXCLUDED.completed, "cancelled" = r.cancelled + EXCLUDED.cancelled,
      "rejected" = r.rejected + EXCLUDED.rejected, "revenue" = r.revenue + EXCLUDED.revenue,
      "booked_seconds" = r.booked_seconds + EXCLUDED.booked_seconds,
      "new_accounts" = r.new_accounts + EXCLUDED.new_accounts
    RETURNING 1)
  SELECT count(*)::int FROM moved
$$`;

/**
 * Recomputes every figure from the bookings, cars and accounts (after a bulk load that bypassed the
 * triggers, or to check them): the same deltas the triggers write, summed per day, agency and type.
 */
const REBUILD_ROLLUPS = `
CREATE FUNCTION "rebuild_rollups"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE "rollup_deltas", "rollups" IN EXCLUSIVE MODE;
    DELETE FROM "rollup_deltas";
    DELETE FROM "rollups";
    INSERT INTO "rollup_deltas" (${BOOKING_DELTA_COLUMNS})
    SELECT d.day, d.agency_id, d.car_type, sum(d.pending), sum(d.confirmed), sum(d.completed), sum(d.cancelled),
           sum(d.rejected), sum(d.revenue), sum(d.booked_seconds)
      FROM "bookings" b JOIN "cars" c ON c.id = b.car_id,
           LATERAL "booking_deltas"(b, c.agency_id, c.type, c.created_at, c.deleted_at, 1) d
     GROUP BY d.day, d.agency_id, d.car_type;
    INSERT INTO "rollup_deltas" ("day", "new_accounts")
    SELECT (first_seen_at AT TIME ZONE 'UTC')::date, count(*) FROM "users" GROUP BY 1;
    PERFORM "fold_rollups"(2147483647);
END
$$`;

/**
 * Analytics as daily rollups, kept in step with the writes: triggers on bookings, cars and users
 * append what each change adds to `rollup_deltas` in the change's own transaction (an insert: no row
 * every booking would wait for), and `fold_rollups` moves them into `rollups` — one row per UTC day
 * for the platform, each car type and each agency. Readers sum both, so a figure is exact the moment
 * its write commits; what they read grows with the days asked for, not with the bookings.
 */
export class AnalyticsRollups1796800000000 implements MigrationInterface {
  name = 'AnalyticsRollups1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "rollup_deltas" ("id" bigint GENERATED ALWAYS AS IDENTITY, "day" date NOT NULL,
         "agency_id" uuid, "car_type" text, ${MEASURES}, CONSTRAINT "PK_rollup_deltas" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "rollup_deltas_by_day" ON "rollup_deltas" ("day")`);
    await queryRunner.query(
      `CREATE TABLE "rollups" ("grain" text NOT NULL, "day" date NOT NULL, "key" text NOT NULL, ${MEASURES},
         CONSTRAINT "rollups_grain_known" CHECK ("grain" IN ('total', 'type', 'agency')),
         CONSTRAINT "PK_rollups" PRIMARY KEY ("grain", "day", "key"))`,
    );
    for (const sql of [BOOKING_DELTAS, BOOKINGS_ROLLUP, CARS_ROLLUP, USERS_ROLLUP, FOLD_ROLLUPS, REBUILD_ROLLUPS]) {
      await queryRunner.query(sql);
    }
    await queryRunner.query(
      `CREATE TRIGGER "bookings_rollup" AFTER INSERT OR DELETE ON "bookings" FOR EACH ROW EXECUTE FUNCTION "bookings_rollup"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "bookings_rollup_update" AFTER UPDATE ON "bookings" FOR EACH ROW
       WHEN ((OLD.status, OLD.is_paid, OLD.total_price, OLD.start_date, OLD.end_date, OLD.car_id, OLD.created_at)
             IS DISTINCT FROM (NEW.status, NEW.is_paid, NEW.total_price, NEW.start_date, NEW.end_date, NEW.car_id, NEW.created_at))
       EXECUTE FUNCTION "bookings_rollup"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "cars_rollup" AFTER UPDATE ON "cars" FOR EACH ROW
       WHEN ((OLD.agency_id, OLD.type, OLD.created_at, OLD.deleted_at)
             IS DISTINCT FROM (NEW.agency_id, NEW.type, NEW.created_at, NEW.deleted_at))
       EXECUTE FUNCTION "cars_rollup"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "users_rollup" AFTER INSERT OR DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION "users_rollup"()`,
    );
    await queryRunner.query(`SELECT "rebuild_rollups"()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "users_rollup" ON "users"`);
    await queryRunner.query(`DROP TRIGGER "cars_rollup" ON "cars"`);
    await queryRunner.query(`DROP TRIGGER "bookings_rollup_update" ON "bookings"`);
    await queryRunner.query(`DROP TRIGGER "bookings_rollup" ON "bookings"`);
    for (const name of ['rebuild_rollups', 'fold_rollups', 'users_rollup', 'cars_rollup', 'bookings_rollup']) {
      await queryRunner.query(`DROP FUNCTION "${name}"`);
    }
    await queryRunner.query(`DROP FUNCTION "booking_deltas"`);
    await queryRunner.query(`DROP TABLE "rollups"`);
    await queryRunner.query(`DROP TABLE "rollup_deltas"`);
  }
}
