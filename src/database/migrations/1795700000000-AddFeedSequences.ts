import { MigrationInterface, QueryRunner } from 'typeorm';

// The SQL as this migration applied it: a migration carries its own text, so history never changes.
const FEED_RELAY_FUNCTION = `
CREATE OR REPLACE FUNCTION "feed_relay"(feed text, insert_order text, channel text, batch integer)
RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    stamped integer;
    last bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(1717921124, hashtext(feed));
    EXECUTE format(
        'WITH pending AS (
            SELECT %2$I AS key, nextval(%3$L) AS seq
            FROM (SELECT %2$I FROM %1$I WHERE feed_seq IS NULL ORDER BY %2$I LIMIT %4$s) unrelayed
         ), done AS (
            UPDATE %1$I t SET feed_seq = pending.seq FROM pending
            WHERE t.%2$I = pending.key AND t.feed_seq IS NULL RETURNING t.feed_seq
         )
         SELECT count(*)::int, max(feed_seq) FROM done',
        feed, insert_order, feed || '_feed_seq', batch)
    INTO stamped, last;
    IF last IS NOT NULL THEN
        PERFORM pg_notify(channel, last::text);
    END IF;
    RETURN stamped;
END
$$`;

/**
 * Delivery order without a lock on the write path. Notifications and chat messages are inserted
 * with `feed_seq` NULL; the outbox relay (src/realtime/outbox-relay.ts) calls `feed_relay()`
 * (src/realtime/outbox.sql.ts), which stamps committed rows with the next values of their table's
 * feed sequence, one relay at a time, and realtime delivery and replay follow `feed_seq`. Existing rows keep their place: their feed
 * sequence is their old order.
 */
export class AddFeedSequences1795700000000 implements MigrationInterface {
  name = 'AddFeedSequences1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, order] of [
      ['notifications', 'id'],
      ['chat_messages', 'seq'],
    ]) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "feed_seq" bigint`);
      await queryRunner.query(`UPDATE "${table}" SET "feed_seq" = "${order}"`);
      await queryRunner.query(`CREATE SEQUENCE "${table}_feed_seq"`);
      await queryRunner.query(
        `SELECT setval('"${table}_feed_seq"', (SELECT max("${order}") FROM "${table}"), true) WHERE EXISTS (SELECT 1 FROM "${table}")`,
      );
    }
    await queryRunner.query(`CREATE UNIQUE INDEX "notifications_by_feed_seq" ON "notifications" ("feed_seq")`);
    await queryRunner.query(
      `CREATE INDEX "notifications_by_agency_feed_seq" ON "notifications" ("agency_id", "feed_seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "notifications_unrelayed" ON "notifications" ("id") WHERE "feed_seq" IS NULL`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "chat_messages_by_feed_seq" ON "chat_messages" ("feed_seq")`);
    await queryRunner.query(
      `CREATE INDEX "chat_messages_by_agency_feed_seq" ON "chat_messages" ("agency_id", "feed_seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "chat_messages_unrelayed" ON "chat_messages" ("seq") WHERE "feed_seq" IS NULL`,
    );
    await queryRunner.query(FEED_RELAY_FUNCTION);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "feed_relay"(text, text, text, integer)`);
    for (const table of ['notifications', 'chat_messages']) {
      for (const index of ['by_feed_seq', 'by_agency_feed_seq', 'unrelayed'])
        await queryRunner.query(`DROP INDEX "${table}_${index}"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "feed_seq"`);
      await queryRunner.query(`DROP SEQUENCE "${table}_feed_seq"`);
    }
  }
}
