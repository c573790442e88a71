/**
 * A table of the transactional outbox: writers insert rows with `feed_seq` NULL in the transaction
 * (or statement) that makes the change, and the relay stamps them with their place in delivery
 * order once committed (see OutboxRelay; the feed_relay function is created by the migrations).
Each feature that has a feed names its table here when it opens it (Feeds.open).
 */
export interface OutboxTable {
  table: string;
  /** The column that says in which order the relay stamps rows it finds together (insertion order). */
  insertOrder: string;
  /** Where the relay announces the last feed_seq it stamped (see OrderedFeed). */
  channel: string;
}
