import { MigrationInterface, QueryRunner } from 'typeorm';

// The SQL as this migration applied it: a migration carries its own text, so history never changes.
const ANNOUNCE_OUTBOX_ROWS_FUNCTION = `
CREATE OR REPLACE FUNCTION "announce_feed_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('feed_outbox', TG_TABLE_NAME);
    RETURN NULL;
END
$$`;

/**
 * The database announces its own changes: statement-level triggers NOTIFY `feed_outbox` (payload:
 * the table) when notifications or chat messages are inserted, which wakes the outbox relay, and
 * `cars_changed` when cars, bookings or reviews are written, which empties every process's cached
 * car list. A writer cannot forget to announce, and its transaction needs no extra statement: the
 * notifications go out with its COMMIT (PostgreSQL folds identical ones of one transaction).
 */
export class NotifyFromTriggers1795700000001 implements MigrationInterface {
  name = 'NotifyFromTriggers1795700000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(ANNOUNCE_OUTBOX_ROWS_FUNCTION);
    await queryRunner.query(`
            CREATE FUNCTION "announce_cars_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('cars_changed', '');
                RETURN NULL;
            END
            $$
        `);
    for (const table of ['notifications', 'chat_messages']) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_announce" AFTER INSERT ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "announce_feed_rows"()`,
      );
    }
    for (const table of ['cars', 'bookings', 'reviews']) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_cars_changed" AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "announce_cars_changed"()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['cars', 'bookings', 'reviews'])
      await queryRunner.query(`DROP TRIGGER "${table}_cars_changed" ON "${table}"`);
    for (const table of ['notifications', 'chat_messages'])
      await queryRunner.query(`DROP TRIGGER "${table}_announce" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION "announce_cars_changed"()`);
    await queryRunner.query(`DROP FUNCTION "announce_feed_rows"()`);
  }
}
