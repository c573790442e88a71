/**
 * The database side of the outbox (see outbox-relay.ts), applied by the migrations: a migration that
 * changes it re-runs these statements (all of them are CREATE OR REPLACE).
 */

/** The advisory lock class of the relay runs: pg_advisory_xact_lock(class, hashtext(table)). */
const RELAY_LOCK_CLASS = 0x66656564; // "feed"

/**
 * One relay run, in one round trip: under the table's advisory lock (relays only, never a writer),
 * the next committed rows with `feed_seq` NULL get the next values of `<table>_feed_seq` in insertion
 * order, and `channel` hears the last value when the call commits. The UPDATE is a statement of its
 * own, so its snapshot, taken after the lock, sees every row the previous run stamped. Returns how
 * many rows it stamped.
 */
export const FEED_RELAY_FUNCTION = `
CREATE OR REPLACE FUNCTION "feed_relay"(feed text, insert_order text, channel text, batch integer)
RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    stamped integer;
    last bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(${RELAY_LOCK_CLASS}, hashtext(feed));
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
 * The trigger function on every outbox table (AFTER INSERT, FOR EACH STATEMENT): NOTIFY
 * `feed_outbox` with the table's name when the writer commits, which wakes every process's relay.
 * A writer cannot forget it, and it costs the writer no statement of its own.
 */
export const ANNOUNCE_OUTBOX_ROWS_FUNCTION = `
CREATE OR REPLACE FUNCTION "announce_feed_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('feed_outbox', TG_TABLE_NAME);
    RETURN NULL;
END
$$`;
