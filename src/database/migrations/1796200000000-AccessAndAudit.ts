import { MigrationInterface, QueryRunner } from 'typeorm';

/** The role the API's connections act as (see runtimeRole): it owns nothing, and may not change the audit trail. */
const APP_ROLE = 'car_rental_app';

/** The tables whose changes the audit trail records: entity type, and the column that names the entity. */
const AUDITED: [table: string, entity: string, key: string][] = [
  ['agencies', 'agency', 'id'],
  ['cars', 'car', 'id'],
  ['bookings', 'booking', 'id'],
  ['reviews', 'review', 'id'],
  ['complaints', 'complaint', 'id'],
  ['complaint_messages', 'complaint', 'complaint_id'],
  ['users', 'user', 'sub'],
  ['chat_reads', 'conversation', 'agency_id'],
];

/**
 * Records one row's change in `audit_log` when the transaction stated an audit context
 * (`app.audit`, set by the API's AuditInterceptor at the start of an audited request): the
 * context's actor, action, reason and request ids, the entity, and before/after (for an update,
 * only the columns that changed; times of bookkeeping left out). Without a context it records
 * nothing: the trigger's WHEN clause does not even call it.
 */
const AUDIT_CHANGE_FUNCTION = `
CREATE FUNCTION "audit_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    context jsonb := current_setting('app.audit', true)::jsonb;
    old_row jsonb;
    new_row jsonb;
    before jsonb;
    after jsonb;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - 'updated_at' - 'last_seen_at' - 'feed_seq'; END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - 'updated_at' - 'last_seen_at' - 'feed_seq'; END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, new_row -> o.key)
          INTO before, after
          FROM jsonb_each(old_row) o
         WHERE (new_row -> o.key) IS DISTINCT FROM o.value;
        IF before IS NULL THEN
            RETURN NULL;
        END IF;
    ELSE
        before := old_row;
        after := new_row;
    END IF;
    INSERT INTO "audit_log" ("actor_sub", "actor_role", "action", "entity_type", "entity_id", "before", "after",
                             "reason", "request_id", "client_request_id")
    VALUES (context ->> 'actorSub', context ->> 'actorRole', context ->> 'action', TG_ARGV[0],
            coalesce(new_row, old_row) ->> TG_ARGV[1], before, after,
            context ->> 'reason', context ->> 'requestId', context ->> 'clientRequestId');
    RETURN NULL;
END
$$`;

/** NOTIFY `table_changes` with the table's name when a write to it commits (caches forget what they kept). */
const ANNOUNCE_TABLE_CHANGE_FUNCTION = `
CREATE FUNCTION "announce_table_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('table_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$`;

/** The statement-level triggers that announce table changes, by name and table (and for users, only a status change). */
const ANNOUNCING: [trigger: string, table: string, events: string][] = [
  ['cars_cars_changed', 'cars', 'INSERT OR UPDATE OR DELETE'],
  ['bookings_cars_changed', 'bookings', 'INSERT OR UPDATE OR DELETE'],
  ['reviews_cars_changed', 'reviews', 'INSERT OR UPDATE OR DELETE'],
  ['agencies_cars_changed', 'agencies', 'INSERT OR UPDATE OR DELETE'],
  ['users_status_changed', 'users', 'UPDATE OF "status"'],
];

/**
 * One identity, one audit path, an API that cannot empty its own trail:
 * - an idempotency key's claim has a lease (its answer commits with the write it answers);
 * - `users` is keyed by issuer and sub together (a token of another issuer is someone else);
 * - every change to an audited table, made in a transaction that stated an audit context, is
 *   recorded by a trigger, with the server's request id beside the client's;
 * - `audit_log` refuses TRUNCATE as it refuses UPDATE and DELETE;
 * - the API's connections act as `car_rental_app`, which owns no table and may only read and
 *   append to the trail (created when the migrating user may create roles; otherwise the API runs
 *   as that user, as before);
 * - the table-change channel is named for what it carries: `table_changes`.
 */
export class AccessAndAudit1796200000000 implements MigrationInterface {
  name = 'AccessAndAudit1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "PK_2ca016813ffcce3392b3eb8ed0c"`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "PK_users_identity" PRIMARY KEY ("issuer", "sub")`);
    await queryRunner.query(`CREATE INDEX "users_by_sub" ON "users" ("sub")`);

    await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD "lease_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "audit_log" ADD "client_request_id" text`);
    await queryRunner.query(
      `CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"()`,
    );
    await queryRunner.query(AUDIT_CHANGE_FUNCTION);
    for (const [table, entity, key] of AUDITED) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_audit" AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW
         WHEN (coalesce(current_setting('app.audit', true), '') <> '')
         EXECUTE FUNCTION "audit_change"('${entity}', '${key}')`,
      );
    }

    await queryRunner.query(ANNOUNCE_TABLE_CHANGE_FUNCTION);
    for (const [trigger, table, events] of ANNOUNCING) {
      await queryRunner.query(`DROP TRIGGER "${trigger}" ON "${table}"`);
      await queryRunner.query(
        `CREATE TRIGGER "${table}_table_changes" AFTER ${events} ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "announce_table_change"()`,
      );
    }
    await queryRunner.query(`DROP FUNCTION "announce_cars_changed"()`);

    await queryRunner.query(`
      DO $$
      BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
              CREATE ROLE ${APP_ROLE} NOLOGIN;
          END IF;
          GRANT ${APP_ROLE} TO CURRENT_USER;
      EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'The API will run as %: it may not create the role ${APP_ROLE}', current_user;
      END
      $$`);
    await queryRunner.query(`
      DO $$
      BEGIN
          IF pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
              GRANT USAGE ON SCHEMA public TO ${APP_ROLE};
              GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE};
              GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE};
              REVOKE UPDATE, DELETE ON "audit_log" FROM ${APP_ROLE};
              ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE};
              ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE};
          END IF;
      EXCEPTION WHEN undefined_object THEN
          NULL;
      END
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
          IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
              ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${APP_ROLE};
              ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${APP_ROLE};
              REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_ROLE};
              REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE};
              REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE};
          END IF;
      END
      $$`);
    await queryRunner.query(`
            CREATE FUNCTION "announce_cars_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('cars_changed', TG_TABLE_NAME);
                RETURN NULL;
            END
            $$`);
    for (const [trigger, table, events] of ANNOUNCING) {
      await queryRunner.query(`DROP TRIGGER "${table}_table_changes" ON "${table}"`);
      await queryRunner.query(
        `CREATE TRIGGER "${trigger}" AFTER ${events} ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "announce_cars_changed"()`,
      );
    }
    await queryRunner.query(`DROP FUNCTION "announce_table_change"()`);
    for (const [table] of AUDITED) await queryRunner.query(`DROP TRIGGER "${table}_audit" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION "audit_change"()`);
    await queryRunner.query(`DROP TRIGGER "audit_log_no_truncate" ON "audit_log"`);
    await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "client_request_id"`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "lease_until"`);
    await queryRunner.query(`DROP INDEX "users_by_sub"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "PK_users_identity"`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "PK_2ca016813ffcce3392b3eb8ed0c" PRIMARY KEY ("sub")`);
  }
}
