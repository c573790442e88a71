import { MigrationInterface, QueryRunner } from 'typeorm';
import { FEED_RELAY_FUNCTION } from '../../realtime/outbox.sql.js';

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
